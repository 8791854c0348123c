package dev.meshbone.local.demo;

import dev.meshbone.client.Contract;
import dev.meshbone.client.ContractRefusedException;
import dev.meshbone.client.ContractRule;
import dev.meshbone.client.DataProduct;
import dev.meshbone.client.DeadLetter;
import dev.meshbone.client.MeshClient;
import dev.meshbone.client.MeshNotification;
import dev.meshbone.client.ProductDeclaration;
import dev.meshbone.client.QualityResult;
import dev.meshbone.client.RegisteredContract;
import dev.meshbone.client.Slos;
import dev.meshbone.events.Classification;
import dev.meshbone.events.NotificationType;
import dev.meshbone.events.QualityDimension;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecordBuilder;

/**
 * The clinical-trials domain: publishes trial enrollments (a few that break the contract's rules),
 * approves who may read them, evolves their contract once, and watches its dead letters.
 */
final class ClinicalTrials implements AutoCloseable {
  static final String DOMAIN = "clinical-trials";
  static final String ENROLLMENTS = "enrollments";
  static final String ENROLLMENTS_ID = DOMAIN + "." + ENROLLMENTS;
  private static final List<String> SITES = List.of("DE-014", "FR-003", "US-112", "JP-020");
  private static final List<String> ARMS = List.of("PLACEBO", "LOW_DOSE", "HIGH_DOSE");

  private final MeshClient mesh;
  private final DemoState state;
  private final Random random = new Random(7);
  private volatile Schema schema = Schemas.ENROLLMENT_V1;
  private long sequence;
  private AutoCloseable notifications;
  private Reader<DeadLetter> deadLetters;

  ClinicalTrials(MeshClient mesh, DemoState state) {
    this.mesh = mesh;
    this.state = state;
  }

  private static Contract contract(Schema schema) {
    return Contract.of(schema)
        .withRules(
            ContractRule.named("adult").field("age").min(18).max(100),
            ContractRule.named("site-code").field("siteId").pattern("[A-Z]{2}-[0-9]{3}"),
            ContractRule.named("known-arm")
                .field("arm")
                .allowed("PLACEBO", "LOW_DOSE", "HIGH_DOSE"));
  }

  void setUp() {
    DataProduct product =
        mesh.declare(
            ProductDeclaration.builder(ENROLLMENTS)
                .name("Trial enrollments")
                .description("One record per participant enrolled at a trial site")
                .owner("enrollment-platform", "enrollment@clinical-trials.example")
                .tags("trial", "enrollment", "gcp")
                .glossaryTerms("participant", "study arm")
                .classification(Classification.PII)
                .slos(
                    Slos.none()
                        .withMinPassRate(0.8)
                        .withMaxStaleness(Duration.ofMinutes(2))
                        .withMaxRejectionRate(0.25))
                .build());
    DemoLog.say(
        DOMAIN, "declared %s (%s, version %d)", product.id(), product.status(), product.version());
    RegisteredContract v1 = mesh.registerContract(ENROLLMENTS, contract(Schemas.ENROLLMENT_V1));
    DemoLog.say(
        DOMAIN,
        "contract of %s: version %d, schema id %d, rules adult, site-code, known-arm",
        ENROLLMENTS_ID,
        v1.version(),
        v1.schemaId());
    if (mesh.product(ENROLLMENTS).contractVersion() >= 2) {
      schema = Schemas.ENROLLMENT_V2; // evolved in an earlier run
    }
    notifications = mesh.notifications(this::heard);
    deadLetters =
        new Reader<DeadLetter>(
                DOMAIN,
                "clinical-trials-dlq",
                () -> mesh.deadLetters(ENROLLMENTS, "demo-dlq-watch"),
                r -> {
                  state.add(ENROLLMENTS_ID, "dead-letter");
                  DemoLog.say(DOMAIN, "dead letter %s: %s", r.key(), r.value());
                })
            .start();
  }

  private void heard(MeshNotification n) {
    DemoLog.say(DOMAIN, "notified %s: %s", n.type(), n.summary());
    if (n.type() == NotificationType.SUBSCRIPTION_REQUESTED) {
      String consumer = n.attributes().get("consumerDomain");
      if (consumer != null) {
        mesh.approveSubscription(n.productId(), consumer);
        DemoLog.say(DOMAIN, "approved %s's subscription to %s", consumer, n.productId());
      }
    }
  }

  /** One enrollment; every eighth breaks a rule of the contract, on purpose. */
  void publishEnrollment() {
    long n = ++sequence;
    String id = String.format("ENR-%06d", n);
    var record =
        new GenericRecordBuilder(schema)
            .set("enrollmentId", id)
            .set("trialId", "TRIAL-" + (1 + random.nextInt(3)))
            .set("siteId", SITES.get(random.nextInt(SITES.size())))
            .set("age", 18 + random.nextInt(60))
            .set("arm", ARMS.get(random.nextInt(ARMS.size())))
            .set("enrolledAt", System.currentTimeMillis());
    if (schema == Schemas.ENROLLMENT_V2) {
      record.set("consentVersion", "ICF-3.1");
    }
    boolean invalid = n % 8 == 0;
    if (invalid) {
      switch ((int) (n / 8 % 3)) {
        case 0 -> record.set("age", 16);
        case 1 -> record.set("siteId", "site 14");
        default -> record.set("arm", "DOUBLE_DOSE");
      }
      state.add(ENROLLMENTS_ID, "invalid");
    }
    GenericData.Record value = record.build();
    mesh.publish(ENROLLMENTS, id, value)
        .whenComplete(
            (sent, error) -> {
              if (error != null) {
                state.trouble(DOMAIN, "enrollment " + id + " not published", cause(error));
              } else {
                state.add(ENROLLMENTS_ID, "published");
                if (n == 1) {
                  DemoLog.say(
                      DOMAIN,
                      "publishing enrollments to %s, one a second (ENR-000001 at partition %d,"
                          + " offset %d)",
                      sent.topic(),
                      sent.partition(),
                      sent.offset());
                }
              }
            });
  }

  static Throwable cause(Throwable error) {
    return error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  /**
   * The contract's evolution: a new optional field; a field dropped that no subscriber declared it
   * reads (accepted); one dropped that pharmacovigilance reads (refused by the read-set gate,
   * though Confluent's BACKWARD allows it); and an incompatible change the mesh refuses.
   */
  void evolve() {
    RegisteredContract v2 = mesh.registerContract(ENROLLMENTS, contract(Schemas.ENROLLMENT_V2));
    schema = Schemas.ENROLLMENT_V2;
    DemoLog.say(
        DOMAIN,
        "%s contract of %s to version %d (adds optional consentVersion)",
        v2.newVersion() ? "evolved the" : "kept the evolved",
        ENROLLMENTS_ID,
        v2.version());
    Schema withoutTrial = without(Schemas.ENROLLMENT_V2, "trialId");
    RegisteredContract v3 = mesh.registerContract(ENROLLMENTS, contract(withoutTrial));
    DemoLog.say(
        DOMAIN,
        "%s contract of %s to version %d (drops trialId, which no subscriber declared it reads)",
        v3.newVersion() ? "evolved the" : "kept the evolved",
        ENROLLMENTS_ID,
        v3.version());
    try {
      mesh.registerContract(ENROLLMENTS, contract(without(withoutTrial, "enrolledAt")));
      DemoLog.say(DOMAIN, "dropping enrolledAt was accepted?");
    } catch (ContractRefusedException refused) {
      DemoLog.say(DOMAIN, "tried to drop enrolledAt, refused: %s", refused.reasons().get(0));
    }
    Schema breaking =
        SchemaBuilder.record("TrialEnrollment")
            .namespace("org.example.pharma.trials")
            .fields()
            .requiredString("enrollmentId")
            .requiredString("investigator")
            .endRecord();
    try {
      mesh.registerContract(ENROLLMENTS, breaking);
      DemoLog.say(DOMAIN, "an incompatible contract was accepted?");
    } catch (ContractRefusedException refused) {
      DemoLog.say(DOMAIN, "tried an incompatible contract, refused: %s", refused.reasons().get(0));
    }
  }

  /** {@code schema} without its field {@code name}. */
  private static Schema without(Schema schema, String name) {
    var fields = new java.util.ArrayList<Schema.Field>();
    for (Schema.Field f : schema.getFields()) {
      if (!f.name().equals(name)) {
        fields.add(new Schema.Field(f, f.schema()));
      }
    }
    return Schema.createRecord(
        schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }

  void reportQuality(long tick) {
    boolean passed = tick % 10 != 7; // one check in ten misses, within the 0.8 objective
    double complete = passed ? 0.97 : 0.88;
    mesh.publishQualityResult(
        ENROLLMENTS,
        QualityResult.of("consent-form-complete", passed)
            .dimension(QualityDimension.COMPLETENESS)
            .measured(complete, 0.95)
            .recordCount(50)
            .build());
    if (!passed) {
      DemoLog.say(DOMAIN, "quality check consent-form-complete FAILED (%.2f < 0.95)", complete);
    }
  }

  @Override
  public void close() throws Exception {
    if (deadLetters != null) {
      deadLetters.close();
    }
    if (notifications != null) {
      notifications.close();
    }
  }
}
