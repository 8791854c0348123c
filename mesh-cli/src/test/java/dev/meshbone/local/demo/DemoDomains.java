package dev.meshbone.local.demo;

import dev.meshbone.client.MeshClient;
import java.util.function.Function;

/**
 * The demo's three domains declaring their products and registering their contracts, with the
 * demo's own code (what {@code bin/local-mesh --demo} runs first), for tests outside deploy.
 */
public final class DemoDomains {
  private DemoDomains() {}

  /** Declares and registers as the demo does; {@code clients} gives each domain's SDK client. */
  public static void setUp(Function<String, MeshClient> clients) throws Exception {
    var state = new DemoState();
    try (MeshClient trialsClient = clients.apply(ClinicalTrials.DOMAIN);
        MeshClient supplyClient = clients.apply(SupplyChain.DOMAIN);
        MeshClient safetyClient = clients.apply(Pharmacovigilance.DOMAIN);
        var trials = new ClinicalTrials(trialsClient, state);
        var supply = new SupplyChain(supplyClient, state);
        var safety = new Pharmacovigilance(safetyClient, state, null)) {
      safety.setUp();
      trials.setUp();
      supply.setUp();
      state.stop();
    }
  }
}
