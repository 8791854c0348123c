package dev.meshbone.local.demo;

import dev.meshbone.client.Contract;
import dev.meshbone.client.ContractRule;
import dev.meshbone.client.DataProduct;
import dev.meshbone.client.DeadLetter;
import dev.meshbone.client.MeshClient;
import dev.meshbone.client.MeshIssue;
import dev.meshbone.client.ProductDeclaration;
import dev.meshbone.client.QualityResult;
import dev.meshbone.client.RegisteredContract;
import dev.meshbone.client.Slos;
import dev.meshbone.events.IssueState;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.NotificationType;
import dev.meshbone.events.QualityDimension;
import dev.meshbone.events.SubscriptionPolicy;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import org.apache.avro.generic.GenericRecordBuilder;

/**
 * The supply-chain domain: releases batches of investigational product (a few stored too warm,
 * which the contract's cold-chain rule refuses), reports a temperature check that fails for a
 * while, and deprecates its legacy shipment notices.
 */
final class SupplyChain implements AutoCloseable {
  static final String DOMAIN = "supply-chain";
  static final String BATCHES = "batch-releases";
  static final String BATCHES_ID = DOMAIN + "." + BATCHES;
  static final String SHIPMENTS = "shipment-notices";
  static final String SHIPMENTS_ID = DOMAIN + "." + SHIPMENTS;
  private static final List<String> SITES = List.of("DE-014", "FR-003", "US-112", "JP-020");

  private final MeshClient mesh;
  private final DemoState state;
  private final Random random = new Random(11);
  private long batches;
  private long shipments;
  private Reader<DeadLetter> deadLetters;
  private AutoCloseable notifications;

  SupplyChain(MeshClient mesh, DemoState state) {
    this.mesh = mesh;
    this.state = state;
  }

  void setUp() {
    DataProduct releases =
        mesh.declare(
            ProductDeclaration.builder(BATCHES)
                .name("Batch releases")
                .description("Batches of investigational product released for the trials")
                .owner("qa-release", "qa-release@supply-chain.example")
                .tags("gmp", "batch", "cold-chain")
                .subscriptionPolicy(SubscriptionPolicy.AUTO_APPROVE)
                .slos(Slos.none().withMinPassRate(0.9).withMaxRejectionRate(0.3))
                .build());
    DemoLog.say(
        DOMAIN,
        "declared %s (%s, version %d)",
        releases.id(),
        releases.status(),
        releases.version());
    RegisteredContract contract =
        mesh.registerContract(
            BATCHES,
            Contract.of(Schemas.BATCH_RELEASE)
                .withRules(
                    ContractRule.named("cold-chain").field("storageTemperatureC").min(2).max(8),
                    ContractRule.named("positive-quantity").field("quantity").min(1),
                    ContractRule.named("batch-id").field("batchId").pattern("B[0-9]{6}")));
    DemoLog.say(
        DOMAIN,
        "contract of %s: version %d, schema id %d, rules cold-chain, positive-quantity, batch-id",
        BATCHES_ID,
        contract.version(),
        contract.schemaId());
    DataProduct notices =
        mesh.declare(
            ProductDeclaration.builder(SHIPMENTS)
                .name("Shipment notices (legacy)")
                .description("Batches shipped to trial sites; superseded by batch releases")
                .owner("logistics", "logistics@supply-chain.example")
                .tags("logistics", "legacy")
                .subscriptionPolicy(SubscriptionPolicy.AUTO_APPROVE)
                .build());
    DemoLog.say(
        DOMAIN, "declared %s (%s, version %d)", notices.id(), notices.status(), notices.version());
    mesh.registerContract(SHIPMENTS, Schemas.SHIPMENT_NOTICE);
    deadLetters =
        new Reader<DeadLetter>(
                DOMAIN,
                "supply-chain-dlq",
                () -> mesh.deadLetters(BATCHES, "demo-dlq-watch"),
                r -> {
                  state.add(BATCHES_ID, "dead-letter");
                  DemoLog.say(DOMAIN, "dead letter %s: %s", r.key(), r.value());
                })
            .start();
    // The owner hears of the issues its consumers open; it answers them on the demo's timeline.
    notifications =
        mesh.notifications(
            n -> {
              if (n.type() == NotificationType.PRODUCT_ISSUE_OPENED) {
                DemoLog.say(DOMAIN, "notified %s: %s", n.type(), n.summary());
              }
            });
  }

  /** One batch release; every tenth was stored too warm, which the cold-chain rule refuses. */
  void publishBatch() {
    long n = ++batches;
    String id = String.format("B%06d", 100_000 + n);
    boolean invalid = n % 10 == 0;
    double temperature = invalid ? 12.5 : 2.5 + random.nextInt(50) / 10.0;
    var record =
        new GenericRecordBuilder(Schemas.BATCH_RELEASE)
            .set("batchId", id)
            .set("productCode", "IMP-" + (1 + random.nextInt(3)))
            .set("site", SITES.get(random.nextInt(SITES.size())))
            .set("quantity", 100 * (1 + random.nextInt(20)))
            .set("storageTemperatureC", temperature)
            .set("releasedAt", System.currentTimeMillis())
            .build();
    if (invalid) {
      state.add(BATCHES_ID, "invalid");
    }
    mesh.publish(BATCHES, id, record)
        .whenComplete(
            (sent, error) -> {
              if (error != null) {
                state.trouble(
                    DOMAIN, "batch " + id + " not published", ClinicalTrials.cause(error));
              } else {
                state.add(BATCHES_ID, "published");
                if (n == 1) {
                  DemoLog.say(
                      DOMAIN, "publishing batch releases to %s, one every 2 s", sent.topic());
                }
              }
            });
  }

  void publishShipment() {
    long n = ++shipments;
    String id = String.format("SHP-%05d", n);
    var record =
        new GenericRecordBuilder(Schemas.SHIPMENT_NOTICE)
            .set("shipmentId", id)
            .set("batchId", String.format("B%06d", 100_000 + Math.max(1, batches)))
            .set("destinationSite", SITES.get(random.nextInt(SITES.size())))
            .set("shippedAt", System.currentTimeMillis())
            .build();
    mesh.publish(SHIPMENTS, id, record)
        .whenComplete(
            (sent, error) -> {
              if (error != null) {
                state.trouble(
                    DOMAIN, "shipment " + id + " not published", ClinicalTrials.cause(error));
              } else {
                state.add(SHIPMENTS_ID, "published");
              }
            });
  }

  /**
   * The cold-room temperature check: it fails while {@code failing}, which breaks the product's
   * pass-rate objective and raises an alert its subscribers hear of.
   */
  void reportQuality(boolean failing) {
    double worst = failing ? 9.5 + random.nextInt(20) / 10.0 : 4.0 + random.nextInt(30) / 10.0;
    mesh.publishQualityResult(
        BATCHES,
        QualityResult.of("cold-room-temperature", !failing)
            .dimension(QualityDimension.VALIDITY)
            .measured(worst, 8.0)
            .recordCount(20)
            .message(failing ? "cold room 2 above 8 °C since the last check" : null)
            .build());
    if (failing) {
      DemoLog.say(DOMAIN, "quality check cold-room-temperature FAILED (%.1f °C > 8.0 °C)", worst);
    }
  }

  /**
   * Answers the issues reported on its batch releases: acknowledges the OPEN ones, or, once the
   * cold room is repaired ({@code resolve}), resolves the acknowledged ones.
   */
  void answerIssues(boolean resolve) {
    IssueState from = resolve ? IssueState.ACKNOWLEDGED : IssueState.OPEN;
    for (MeshIssue issue : mesh.issues(BATCHES_ID, from)) {
      MeshIssue answered =
          resolve
              ? mesh.changeIssueState(
                  BATCHES_ID,
                  issue.issueId(),
                  IssueState.RESOLVED,
                  "cold room 2 repaired; the batches released during the breach are recalled")
              : mesh.changeIssueState(
                  BATCHES_ID,
                  issue.issueId(),
                  IssueState.ACKNOWLEDGED,
                  "cold room 2 is being repaired; we are checking which batches it held");
      DemoLog.say(
          DOMAIN,
          "%s issue %s of %s: %s",
          answered.state().name().toLowerCase(java.util.Locale.ROOT),
          answered.issueId(),
          answered.reporterDomain(),
          answered.title());
    }
  }

  /** Deprecates the legacy shipment notices, once. */
  void deprecateShipments() {
    DataProduct notices = mesh.product(SHIPMENTS);
    if (notices.status() == LifecycleStatus.DEPRECATED) {
      DemoLog.say(DOMAIN, "%s is deprecated already (sunset %s)", SHIPMENTS_ID, notices.sunsetAt());
      return;
    }
    Instant sunset = Instant.now().plus(90, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS);
    DataProduct deprecated =
        mesh.deprecate(SHIPMENTS, sunset, "replaced by " + BATCHES_ID, BATCHES_ID);
    DemoLog.say(DOMAIN, "deprecated %s, sunset %s", SHIPMENTS_ID, deprecated.sunsetAt());
  }

  @Override
  public void close() throws Exception {
    if (notifications != null) {
      notifications.close();
    }
    if (deadLetters != null) {
      deadLetters.close();
    }
  }
}
