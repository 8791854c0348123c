package dev.meshbone.local.demo;

import dev.meshbone.client.DataProduct;
import dev.meshbone.client.MeshClient;
import dev.meshbone.client.MeshClientException;
import dev.meshbone.client.MeshClientSettings;
import dev.meshbone.contracts.Subjects;
import dev.meshbone.events.HealthState;
import dev.meshbone.serde.RestSchemaRegistryClient;
import dev.meshbone.serde.SchemaRegistryClientConfig;
import dev.meshbone.serde.SchemaRegistryException;
import dev.meshbone.topics.ProductId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A small mesh of pharmaceutical R&amp;D domains, run by {@code bin/local-mesh --demo}, built only
 * on the public SDK ({@code dev.meshbone.client}): each domain is a {@link MeshClient} as its
 * service would hold one.
 *
 * <ul>
 *   <li>clinical-trials publishes trial enrollments (about one in eight breaks a rule of their
 *       contract and lands in the dead-letter topic), approves pharmacovigilance's subscription,
 *       evolves the enrollment contract at 20 s: a new optional field, a field nobody declared it
 *       reads dropped, and two changes refused (dropping a field pharmacovigilance reads; an
 *       incompatible one).
 *   <li>supply-chain publishes batch releases (one in ten stored too warm) and legacy shipment
 *       notices, reports a cold-room check that fails at 10, 20 and 30 s (the product's health
 *       turns BREACHED and an alert goes to its subscribers), and deprecates the shipment notices
 *       at 30 s.
 *   <li>pharmacovigilance subscribes to both, reads enrollments as they are validated, reports
 *       adverse events about some participants, and hears of every change; it declares the
 *       enrollment fields it reads; at 15 s, during the cold-room breach, it reports a HIGH problem
 *       on the batch releases, which supply-chain acknowledges at 20 s and resolves at 40 s, once
 *       the cold room passes its check again.
 * </ul>
 *
 * <p>Every notable event is one line on the log ({@code demo} logger). The scenario ticks every
 * second on two scheduler threads (records; everything else), plus a reader thread per consumer; it
 * runs again on a restart without duplicating products, contracts or subscriptions.
 */
public final class DemoMesh implements AutoCloseable {
  /** The demo's domains, each a user of a secure mesh. */
  public static final List<String> DOMAINS =
      List.of(ClinicalTrials.DOMAIN, SupplyChain.DOMAIN, Pharmacovigilance.DOMAIN);

  private static final List<String> WATCHED =
      List.of(
          ClinicalTrials.ENROLLMENTS_ID,
          SupplyChain.BATCHES_ID,
          SupplyChain.SHIPMENTS_ID,
          Pharmacovigilance.ADVERSE_EVENTS_ID);

  private final List<MeshClient> clients = new ArrayList<>();
  private final DemoState state = new DemoState();
  private final ClinicalTrials clinicalTrials;
  private final SupplyChain supplyChain;
  private final Pharmacovigilance pharmacovigilance;
  private final ScheduledExecutorService scheduler;
  private final Map<String, HealthState> health = new HashMap<>();
  private final AtomicLong second = new AtomicLong(-1);
  private final AtomicLong recordsSecond = new AtomicLong(-1);
  private volatile boolean ready;
  private volatile String crossDomainRefusal;
  private volatile boolean closing;

  private final String registryUrl;
  private final Function<String, Optional<String>> passwords;
  private final Function<String, Map<String, Object>> kafka;

  private DemoMesh(
      String bootstrapServers,
      String registryUrl,
      Function<String, Optional<String>> passwords,
      Function<String, Map<String, Object>> kafka) {
    this.registryUrl = registryUrl;
    this.passwords = passwords;
    this.kafka = kafka;
    clinicalTrials =
        new ClinicalTrials(client(ClinicalTrials.DOMAIN, bootstrapServers, registryUrl), state);
    supplyChain = new SupplyChain(client(SupplyChain.DOMAIN, bootstrapServers, registryUrl), state);
    pharmacovigilance =
        new Pharmacovigilance(
            client(Pharmacovigilance.DOMAIN, bootstrapServers, registryUrl),
            state,
            kafka.apply(Pharmacovigilance.DOMAIN).isEmpty()
                ? null
                : () -> client(Pharmacovigilance.DOMAIN, bootstrapServers, registryUrl, true));
    scheduler =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "demo");
              t.setDaemon(true);
              return t;
            });
  }

  private MeshClient client(String domain, String bootstrapServers, String registryUrl) {
    return client(domain, bootstrapServers, registryUrl, false);
  }

  /** A domain's client; a quick one waits only 2 s for a topic (to show a refused read). */
  private MeshClient client(
      String domain, String bootstrapServers, String registryUrl, boolean quick) {
    MeshClientSettings.Builder settings =
        MeshClientSettings.builder()
            .domain(domain)
            .bootstrapServers(bootstrapServers)
            .registryUrl(registryUrl);
    credentials(domain)
        .forEach((name, value) -> settings.registry(name.substring("registry.".length()), value));
    // On a secure mesh: the domain's own Kafka login (SASL/SCRAM), by Kafka's setting names.
    kafka.apply(domain).forEach(settings::kafka);
    if (quick) {
      return MeshClient.create(settings.topicReadyTimeout(java.time.Duration.ofSeconds(2)).build());
    }
    MeshClient client = MeshClient.create(settings.build());
    clients.add(client);
    return client;
  }

  /**
   * The registry settings a domain logs in with on a secure mesh (Confluent's names, under {@code
   * registry.}); none on an open one.
   */
  private Map<String, String> credentials(String domain) {
    return passwords
        .apply(domain)
        .map(
            password ->
                Map.of(
                    "registry.basic.auth.credentials.source",
                    "USER_INFO",
                    "registry.basic.auth.user.info",
                    domain + ":" + password))
        .orElse(Map.of());
  }

  /**
   * Starts the demo against a running open mesh; returns at once, the domains set up in the
   * background.
   */
  public static DemoMesh start(String bootstrapServers, String registryUrl) {
    return start(bootstrapServers, registryUrl, domain -> Optional.empty());
  }

  /**
   * Starts the demo against a running mesh, each domain logging in with its password from {@code
   * passwords} when it has one (a secure mesh); returns at once, the domains set up in the
   * background.
   */
  public static DemoMesh start(
      String bootstrapServers, String registryUrl, Function<String, Optional<String>> passwords) {
    return start(bootstrapServers, registryUrl, passwords, domain -> Map.of());
  }

  /**
   * As {@link #start(String, String, Function)}, each domain's Kafka clients also taking the
   * settings {@code kafka} gives for it (its SASL login on a secure mesh).
   */
  public static DemoMesh start(
      String bootstrapServers,
      String registryUrl,
      Function<String, Optional<String>> passwords,
      Function<String, Map<String, Object>> kafka) {
    DemoMesh demo = new DemoMesh(bootstrapServers, registryUrl, passwords, kafka);
    DemoLog.say(
        "demo", "three domains join the mesh: clinical-trials, supply-chain, pharmacovigilance");
    demo.scheduler.execute(demo::setUp);
    return demo;
  }

  /** Whether every domain has declared its products and subscribed. */
  public boolean isReady() {
    return ready;
  }

  private void setUp() {
    // Each domain sets itself up on its own: a new domain's first write waits for
    // contract-validator to pick up its control topic.
    ExecutorService domains = Executors.newFixedThreadPool(3);
    try {
      CompletableFuture.allOf(
              CompletableFuture.runAsync(clinicalTrials::setUp, domains),
              CompletableFuture.runAsync(supplyChain::setUp, domains),
              CompletableFuture.runAsync(pharmacovigilance::setUp, domains))
          .join();
      pharmacovigilance.subscribe();
      if (passwords.apply(SupplyChain.DOMAIN).isPresent()) {
        crossDomainWrite();
      }
    } catch (RuntimeException e) {
      if (closing) {
        return;
      }
      DemoLog.trouble("demo", "setting up failed, trying again in 5 s", ClinicalTrials.cause(e));
      scheduler.schedule(this::setUp, 5, TimeUnit.SECONDS);
      return;
    } finally {
      domains.shutdown();
    }
    ready = true;
    DemoLog.say(
        "demo",
        "records flowing; look around: curl -s %s/products (README walk-through)",
        registryUrl);
    scheduler.scheduleAtFixedRate(this::lifecycle, 0, 1, TimeUnit.SECONDS);
    scheduler.scheduleAtFixedRate(this::publish, 0, 1, TimeUnit.SECONDS);
  }

  /**
   * On a secure mesh, supply-chain tries once to register a schema under clinical-trials' subject
   * with a stock schema registry client and its own credentials: refused with 403 (40301).
   */
  private void crossDomainWrite() {
    String subject = Subjects.valueSubject(ProductId.parse(ClinicalTrials.ENROLLMENTS_ID));
    var settings = new HashMap<String, Object>(credentials(SupplyChain.DOMAIN));
    settings.put("schema.registry.url", registryUrl);
    var config = new HashMap<String, Object>();
    settings.forEach((k, v) -> config.put(k.replace("registry.basic", "basic"), v));
    try (var registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.fromMap(config))) {
      registry.register(subject, Schemas.BATCH_RELEASE, false);
      DemoLog.say(
          SupplyChain.DOMAIN,
          "registered a schema under %s (clinical-trials' subject): the mesh is open",
          subject);
    } catch (SchemaRegistryException e) {
      crossDomainRefusal = e.status() + " " + e.errorCode() + ": " + e.getMessage();
      DemoLog.say(
          SupplyChain.DOMAIN,
          "tried to register a schema under %s (clinical-trials' subject): refused, %d %d: %s",
          subject,
          e.status(),
          e.errorCode(),
          e.getMessage());
    }
  }

  /** The records, every second: they go on even when a product's topic is slow to appear. */
  private void publish() {
    long t = recordsSecond.incrementAndGet();
    step("clinical-trials", clinicalTrials::publishEnrollment);
    if (t % 2 == 0) {
      step("supply-chain", supplyChain::publishBatch);
    }
    if (t % 3 == 0) {
      step("supply-chain", supplyChain::publishShipment);
    }
  }

  /** Everything else, on its own clock: quality results, the evolution, the deprecation. */
  private void lifecycle() {
    long t = second.incrementAndGet();
    if (t % 10 == 0) {
      step("clinical-trials", () -> clinicalTrials.reportQuality(t / 10));
      step("supply-chain", () -> supplyChain.reportQuality(t >= 10 && t < 40));
      step("pharmacovigilance", pharmacovigilance::reportQuality);
    }
    if (t == 20) {
      step("clinical-trials", clinicalTrials::evolve);
    }
    if (t == 30) {
      step("supply-chain", supplyChain::deprecateShipments);
    }
    // Accountability: a consumer reports the breach's effect, the owner answers.
    if (t == 15) {
      step("pharmacovigilance", pharmacovigilance::reportColdRoomProblem);
    }
    if (t == 20) {
      step("supply-chain", () -> supplyChain.answerIssues(false));
    }
    if (t == 40) {
      step("supply-chain", () -> supplyChain.answerIssues(true));
    }
    if (t % 5 == 0) {
      step("pharmacovigilance", this::watchHealth);
    }
    if (t > 0 && t % 60 == 0) {
      state.summary().forEach((product, line) -> DemoLog.say("demo", "%s: %s", product, line));
    }
  }

  /** Logs each product whose health changed since the last look. */
  private void watchHealth() {
    for (String id : WATCHED) {
      DataProduct product = pharmacovigilance.product(id);
      HealthState before = health.put(id, product.health());
      if (before != product.health()
          && !(before == null && product.health() == HealthState.UNKNOWN)) {
        DemoLog.say(
            "quality",
            "health of %s: %s -> %s%s",
            id,
            before == null ? HealthState.UNKNOWN : before,
            product.health(),
            product.healthReasons().isEmpty()
                ? ""
                : " (" + String.join("; ", product.healthReasons()) + ")");
      }
    }
  }

  private void step(String domain, Runnable step) {
    try {
      step.run();
    } catch (MeshClientException e) {
      if (!closing) { // a step cut short by close() is no trouble
        DemoLog.trouble(domain, "a step of the demo failed", e);
      }
    }
  }

  /** How often the demo did {@code what} with {@code product} (for tests). */
  public long count(String product, String what) {
    return state.get(product, what);
  }

  /** How the mesh refused supply-chain's write to clinical-trials' subject, once it did. */
  public String crossDomainRefusal() {
    return crossDomainRefusal;
  }

  /** What the demo published and read so far, per product (for tests). */
  public Map<String, String> summary() {
    return state.summary();
  }

  /** Stops the scenario, the readers and streams, then the clients (flushing what was sent). */
  @Override
  public void close() {
    closing = true;
    state.stop();
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (AutoCloseable domain : List.of(pharmacovigilance, supplyChain, clinicalTrials)) {
      try {
        domain.close();
      } catch (Exception e) {
        DemoLog.trouble("demo", "stopping a domain failed", e);
      }
    }
    clients.forEach(MeshClient::close);
    DemoLog.say("demo", "stopped");
  }
}
