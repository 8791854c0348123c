package dev.meshbone.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.trials.TrialEnrollment;
import dev.meshbone.client.Contract;
import dev.meshbone.client.ContractRule;
import dev.meshbone.client.DeadLetter;
import dev.meshbone.client.MeshClient;
import dev.meshbone.client.ProductConsumer;
import dev.meshbone.client.ProductDeclaration;
import dev.meshbone.client.ProductRecord;
import dev.meshbone.client.PublishResult;
import dev.meshbone.events.SubscriptionPolicy;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The SDK's record path end to end on the real services: records published to a product's ingest
 * topic, validated by contract-validator against the contract and its rules, read by a subscriber
 * (valid ones only, typed) and by the owner from the dead-letter topic (invalid ones, with the
 * reason, rule and field).
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeshClientRecordsIT {
  private MeshServices mesh;
  private final String producer =
      "ct" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  private final String consumer =
      "pv" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);

  @BeforeAll
  void startServices(KafkaBroker broker) {
    mesh = new MeshServices(broker);
  }

  @AfterAll
  void stopServices() {
    if (mesh != null) {
      mesh.close();
    }
  }

  private static Contract enrollmentContract() {
    return Contract.of(TrialEnrollment.class)
        .withRules(
            ContractRule.named("adult").field("age").min(18).max(100),
            ContractRule.named("site-code").field("siteId").pattern("[A-Z]{2}-[0-9]{3}"),
            ContractRule.named("known-arm")
                .field("arm")
                .allowed("PLACEBO", "LOW_DOSE", "HIGH_DOSE"));
  }

  private static TrialEnrollment enrollment(String id, int age, String site, String arm) {
    return TrialEnrollment.newBuilder()
        .setEnrollmentId(id)
        .setTrialId("TRIAL-1")
        .setSiteId(site)
        .setAge(age)
        .setArm(arm)
        .setEnrolledAt(Instant.parse("2026-11-24T09:00:00Z"))
        .build();
  }

  private static <V> List<ProductRecord<V>> read(ProductConsumer<V> from, int count) {
    List<ProductRecord<V>> records = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              records.addAll(from.poll(Duration.ofMillis(200)));
              return records.size() >= count;
            });
    return records;
  }

  @Test
  void shouldDeliverValidRecordsToTheSubscriberAndInvalidOnesToTheOwnersDeadLetters() {
    try (MeshClient owner = mesh.client(producer);
        MeshClient reader = mesh.client(consumer)) {
      owner.declare(
          ProductDeclaration.builder("enrollments")
              .owner("enrollment-platform")
              .subscriptionPolicy(SubscriptionPolicy.AUTO_APPROVE)
              .build());
      owner.registerContract("enrollments", enrollmentContract());
      reader.subscribe(producer + ".enrollments", "signal detection");

      List<CompletableFuture<PublishResult>> sent = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        sent.add(
            owner.publish(
                "enrollments", "E" + i, enrollment("E" + i, 30 + i, "DE-014", "PLACEBO")));
      }
      sent.add(owner.publish("enrollments", "X1", enrollment("X1", 16, "DE-014", "PLACEBO")));
      sent.add(owner.publish("enrollments", "X2", enrollment("X2", 40, "site 14", "PLACEBO")));
      sent.add(owner.publish("enrollments", "X3", enrollment("X3", 40, "FR-003", "DOUBLE_DOSE")));
      sent.forEach(CompletableFuture::join);

      List<ProductRecord<TrialEnrollment>> valid;
      try (var enrollments =
          reader.consume(producer + ".enrollments", TrialEnrollment.class, "signal-detection")) {
        valid = read(enrollments, 10);
        assertThat(enrollments.poll(Duration.ofSeconds(2))).isEmpty();
      }
      assertThat(valid)
          .extracting(r -> r.value().getEnrollmentId())
          .containsExactlyInAnyOrder("E0", "E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E9");

      List<ProductRecord<DeadLetter>> refused;
      try (var deadLetters = owner.deadLetters("enrollments", "dlq-review")) {
        refused = read(deadLetters, 3);
      }
      assertThat(refused)
          .extracting(
              r ->
                  r.value().key()
                      + " "
                      + r.value().reason()
                      + " "
                      + r.value().rule()
                      + " "
                      + r.value().field())
          .containsExactlyInAnyOrder(
              "X1 RULE_VIOLATION adult age",
              "X2 RULE_VIOLATION site-code siteId",
              "X3 RULE_VIOLATION known-arm arm");
      assertThat(refused.get(0).value().sourceTopic()).isEqualTo(producer + ".enrollments.ingest");
      assertThat(refused.get(0).value().message()).isNotBlank();
    }
  }

  @Test
  void shouldLetASubscriberReadANewContractVersionIntoItsOlderClass() {
    try (MeshClient owner = mesh.client(producer);
        MeshClient reader = mesh.client(consumer)) {
      owner.declare(
          ProductDeclaration.builder("evolving")
              .owner("enrollment-platform")
              .subscriptionPolicy(SubscriptionPolicy.AUTO_APPROVE)
              .build());
      owner.registerContract("evolving", TrialEnrollment.class);
      Schema v2 =
          SchemaBuilder.record("TrialEnrollment")
              .namespace("com.example.trials")
              .fields()
              .requiredString("enrollmentId")
              .requiredString("trialId")
              .requiredString("siteId")
              .requiredInt("age")
              .requiredString("arm")
              .name("enrolledAt")
              .type()
              .longBuilder()
              .prop("logicalType", "timestamp-millis")
              .endLong()
              .noDefault()
              .optionalString("consentVersion")
              .endRecord();
      int v2Id = owner.registerContract("evolving", v2).schemaId();
      reader.subscribe(producer + ".evolving", "signal detection");

      owner.publish("evolving", "v1", enrollment("v1", 40, "DE-014", "PLACEBO")).join();
      owner
          .publish(
              "evolving",
              "v2",
              new GenericRecordBuilder(v2)
                  .set("enrollmentId", "v2")
                  .set("trialId", "TRIAL-1")
                  .set("siteId", "DE-014")
                  .set("age", 41)
                  .set("arm", "HIGH_DOSE")
                  .set("enrolledAt", 1_764_000_000_000L)
                  .set("consentVersion", "ICF-3.1")
                  .build())
          .join();

      try (var old = reader.consume(producer + ".evolving", TrialEnrollment.class, "old-reader")) {
        List<ProductRecord<TrialEnrollment>> records = read(old, 2);
        assertThat(records)
            .extracting(r -> r.value().getEnrollmentId())
            .containsExactlyInAnyOrder("v1", "v2");
        assertThat(records).extracting(ProductRecord::schemaId).contains(v2Id);
      }
    }
  }
}
