package dev.meshbone.local.demo;

import dev.meshbone.client.Contract;
import dev.meshbone.client.ContractRule;
import dev.meshbone.client.DataProduct;
import dev.meshbone.client.MeshClient;
import dev.meshbone.client.MeshIssue;
import dev.meshbone.client.MeshNotification;
import dev.meshbone.client.MeshRequestException;
import dev.meshbone.client.ProductDeclaration;
import dev.meshbone.client.ProductRecord;
import dev.meshbone.client.ProductSubscription;
import dev.meshbone.client.QualityResult;
import dev.meshbone.client.RegisteredContract;
import dev.meshbone.events.Classification;
import dev.meshbone.events.IssueKind;
import dev.meshbone.events.IssueSeverity;
import dev.meshbone.events.NotificationType;
import dev.meshbone.events.QualityDimension;
import dev.meshbone.events.SubscriptionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;

/**
 * The pharmacovigilance domain: subscribes to enrollments (its owner approves) and batch releases,
 * reads them as they are validated, reports adverse events about some participants, and hears of
 * every change to what it reads.
 */
final class Pharmacovigilance implements AutoCloseable {
  static final String DOMAIN = "pharmacovigilance";
  static final String ADVERSE_EVENTS = "adverse-events";
  static final String ADVERSE_EVENTS_ID = DOMAIN + "." + ADVERSE_EVENTS;
  private static final List<String> TERMS =
      List.of("headache", "nausea", "fatigue", "rash", "dizziness", "elevated ALT");
  private static final List<String> SEVERITIES = List.of("MILD", "MODERATE", "SEVERE");

  private final MeshClient mesh;
  private final DemoState state;
  private final Random random = new Random(13);
  private final List<MeshNotification> heard = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> running = new ArrayList<>();
  private final java.util.function.Supplier<MeshClient> quickClient;
  private long reports;

  /**
   * @param quickClient on a secure mesh, a client of this domain that waits only briefly for a
   *     topic, to show Kafka refusing a read before the subscription is approved; null on an open
   *     mesh
   */
  Pharmacovigilance(
      MeshClient mesh, DemoState state, java.util.function.Supplier<MeshClient> quickClient) {
    this.mesh = mesh;
    this.state = state;
    this.quickClient = quickClient;
  }

  /** Its own product first: it may be declared before its inputs exist. */
  void setUp() {
    DataProduct product =
        mesh.declare(
            ProductDeclaration.builder(ADVERSE_EVENTS)
                .name("Adverse event reports")
                .description("Adverse events of trial participants, for signal detection")
                .owner("drug-safety", "drug-safety@pharmacovigilance.example")
                .tags("safety", "adverse-event")
                .classification(Classification.PHI)
                .inputs(ClinicalTrials.ENROLLMENTS_ID, SupplyChain.BATCHES_ID)
                .build());
    DemoLog.say(
        DOMAIN,
        "declared %s (%s, version %d), derived from %s and %s",
        product.id(),
        product.status(),
        product.version(),
        ClinicalTrials.ENROLLMENTS_ID,
        SupplyChain.BATCHES_ID);
    RegisteredContract contract =
        mesh.registerContract(
            ADVERSE_EVENTS,
            Contract.of(Schemas.ADVERSE_EVENT)
                .withRules(
                    ContractRule.named("known-severity")
                        .field("severity")
                        .allowed("MILD", "MODERATE", "SEVERE", "LIFE_THREATENING"),
                    ContractRule.named("onset-after-enrollment")
                        .field("daysSinceEnrollment")
                        .min(0)));
    DemoLog.say(
        DOMAIN,
        "contract of %s: version %d, schema id %d",
        ADVERSE_EVENTS_ID,
        contract.version(),
        contract.schemaId());
    running.add(mesh.notifications(this::heard));
  }

  private void heard(MeshNotification n) {
    heard.add(n);
    DemoLog.say(DOMAIN, "notified %s: %s", n.type(), n.summary());
  }

  /** Once the other domains' products exist: subscribe, and read what is approved. */
  void subscribe() {
    if (quickClient != null) {
      tryReadingBeforeApproval();
    }
    // The fields signal detection reads: a contract change that breaks one of them is refused.
    ProductSubscription enrollments =
        mesh.subscribe(
            ClinicalTrials.ENROLLMENTS_ID, "adverse-event signal detection", ENROLLMENT_FIELDS);
    DemoLog.say(
        DOMAIN,
        "subscribed to %s, reading %s: %s",
        enrollments.productId(),
        String.join(", ", enrollments.fields()),
        enrollments.state());
    ProductSubscription batches = mesh.subscribe(SupplyChain.BATCHES_ID, "batch traceability");
    DemoLog.say(DOMAIN, "subscribed to %s: %s", batches.productId(), batches.state());
    ProductSubscription notices = mesh.subscribe(SupplyChain.SHIPMENTS_ID, "batch traceability");
    DemoLog.say(DOMAIN, "subscribed to %s: %s", notices.productId(), notices.state());
    running.add(
        new Reader<GenericRecord>(
                DOMAIN,
                "pharmacovigilance-enrollments",
                () -> {
                  awaitApproval(ClinicalTrials.ENROLLMENTS_ID, enrollments);
                  return mesh.consume(
                      ClinicalTrials.ENROLLMENTS_ID, GenericRecord.class, "signal-detection");
                },
                this::enrollment)
            .start());
    running.add(
        new Reader<GenericRecord>(
                DOMAIN,
                "pharmacovigilance-batches",
                () -> mesh.consume(SupplyChain.BATCHES_ID, GenericRecord.class, "traceability"),
                r -> state.add(SupplyChain.BATCHES_ID, "read"))
            .start());
  }

  /**
   * On a secure mesh, reads enrollments once before subscribing: Kafka refuses it, for there is no
   * approved subscription (after a restart there is one, and Kafka allows it).
   */
  private void tryReadingBeforeApproval() {
    String product = ClinicalTrials.ENROLLMENTS_ID;
    try (MeshClient quick = quickClient.get();
        var reader = quick.consume(product, GenericRecord.class, "access-check")) {
      state.add(product, "read allowed before subscribing");
      DemoLog.say(
          DOMAIN,
          "read %s before subscribing: Kafka allows it (approved on an earlier run)",
          product);
    } catch (MeshRequestException e) {
      state.add(product, "read refused before approval");
      DemoLog.say(
          DOMAIN,
          "tried to read %s before subscribing: refused by Kafka (%d %s), no approved subscription",
          product,
          e.status(),
          e.code());
    }
  }

  /** The owner approves on its own notification: wait for the word before reading. */
  private void awaitApproval(String productId, ProductSubscription asked) {
    if (asked.state() == SubscriptionState.APPROVED) {
      return;
    }
    while (heard.stream()
        .noneMatch(
            n ->
                n.type() == NotificationType.SUBSCRIPTION_APPROVED
                    && n.productId().equals(productId))) {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new dev.meshbone.client.MeshClientException("stopped while waiting for approval", e);
      }
    }
  }

  private void enrollment(ProductRecord<GenericRecord> record) {
    state.add(ClinicalTrials.ENROLLMENTS_ID, "read");
    if (state.get(ClinicalTrials.ENROLLMENTS_ID, "read") == 1) {
      if (heardApproval(ClinicalTrials.ENROLLMENTS_ID)) {
        state.add(ClinicalTrials.ENROLLMENTS_ID, "first read after approval");
      }
      DemoLog.say(
          DOMAIN,
          "reading %s: first validated enrollment %s (schema id %d)",
          ClinicalTrials.ENROLLMENTS_ID,
          record.key(),
          record.schemaId());
    }
    if (random.nextInt(6) == 0) {
      report(record.value());
    }
  }

  private boolean heardApproval(String productId) {
    return heard.stream()
        .anyMatch(
            n ->
                n.type() == NotificationType.SUBSCRIPTION_APPROVED
                    && n.productId().equals(productId));
  }

  /** An adverse event of an enrolled participant; one in twelve has a severity nobody knows. */
  private void report(GenericRecord enrollment) {
    long n = ++reports;
    String id = String.format("AE-%05d", n);
    boolean invalid = n % 12 == 0;
    var report =
        new GenericRecordBuilder(Schemas.ADVERSE_EVENT)
            .set("reportId", id)
            .set("enrollmentId", enrollment.get("enrollmentId").toString())
            .set("trialId", enrollment.get("trialId").toString())
            .set("term", TERMS.get(random.nextInt(TERMS.size())))
            .set(
                "severity",
                invalid ? "SERIOUS-ISH" : SEVERITIES.get(random.nextInt(SEVERITIES.size())))
            .set("daysSinceEnrollment", random.nextInt(30))
            .set("reportedAt", System.currentTimeMillis())
            .build();
    if (invalid) {
      state.add(ADVERSE_EVENTS_ID, "invalid");
    }
    mesh.publish(ADVERSE_EVENTS, id, report)
        .whenComplete(
            (sent, error) -> {
              if (error != null) {
                state.trouble(
                    DOMAIN, "report " + id + " not published", ClinicalTrials.cause(error));
              } else {
                state.add(ADVERSE_EVENTS_ID, "published");
                if (n == 1 || invalid) {
                  DemoLog.say(
                      DOMAIN,
                      "reported %s (%s of %s)%s",
                      id,
                      report.get("term"),
                      report.get("enrollmentId"),
                      invalid ? " with a severity the contract does not know" : "");
                }
              }
            });
  }

  void reportQuality() {
    mesh.publishQualityResult(
        ADVERSE_EVENTS,
        QualityResult.passed("meddra-coded")
            .dimension(QualityDimension.CONSISTENCY)
            .measured(1.0, 1.0)
            .build());
  }

  /** What the registry says of a product now (for the health watch). */
  DataProduct product(String id) {
    return mesh.product(id);
  }

  /**
   * During supply-chain's cold-room breach, reports a HIGH problem on its batch releases, once (a
   * restarted demo finds the issue already there).
   */
  void reportColdRoomProblem() {
    String batches = SupplyChain.BATCHES_ID;
    boolean reported =
        mesh.issues(batches, null).stream()
            .anyMatch(i -> i.reporterDomain().equals(DOMAIN) && i.title().equals(COLD_ROOM_TITLE));
    if (reported) {
      return;
    }
    MeshIssue issue =
        mesh.reportIssue(
            batches,
            IssueKind.PROBLEM,
            IssueSeverity.HIGH,
            COLD_ROOM_TITLE,
            "The cold-room check of supply-chain.batch-releases is failing: batches released now"
                + " may have been stored above 8 °C. We hold the signal analysis of these batches.");
    DemoLog.say(
        DOMAIN,
        "reported a %s problem on %s: %s (issue %s, %s)",
        issue.severity(),
        batches,
        issue.title(),
        issue.issueId(),
        issue.state());
  }

  /** What signal detection reads of an enrollment. */
  static final List<String> ENROLLMENT_FIELDS = List.of("enrollmentId", "age", "arm", "enrolledAt");

  static final String COLD_ROOM_TITLE = "Batch releases may have been stored too warm";

  @Override
  public void close() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }
}
