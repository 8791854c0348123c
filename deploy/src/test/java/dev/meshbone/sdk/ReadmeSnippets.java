package dev.meshbone.sdk;

import com.example.trials.TrialEnrollment;
import dev.meshbone.client.Contract;
import dev.meshbone.client.ContractRefusedException;
import dev.meshbone.client.ContractRule;
import dev.meshbone.client.DataProduct;
import dev.meshbone.client.MeshClient;
import dev.meshbone.client.MeshClientSettings;
import dev.meshbone.client.MeshNotification;
import dev.meshbone.client.NotificationStream;
import dev.meshbone.client.ProductConsumer;
import dev.meshbone.client.ProductDeclaration;
import dev.meshbone.client.ProductRecord;
import dev.meshbone.client.ProductSubscription;
import dev.meshbone.client.PublishResult;
import dev.meshbone.client.QualityResult;
import dev.meshbone.client.RegisteredContract;
import dev.meshbone.client.Slos;
import dev.meshbone.events.Classification;
import dev.meshbone.events.QualityDimension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/**
 * The SDK code docs/sdk.md shows, region by region ({@code // tag::name[]} to {@code //
 * end::name[]}): {@code ReadmeSnippetsTest} checks that the page holds each region verbatim, and
 * the ITs run these methods against a real mesh, so the page's examples compile and work.
 */
final class ReadmeSnippets {
  private ReadmeSnippets() {}

  static MeshClient connect(String bootstrapServers, String registryUrl) {
    // tag::connect[]
    MeshClient mesh =
        MeshClient.create(
            MeshClientSettings.builder()
                .domain("clinical-trials")
                .bootstrapServers(bootstrapServers) // localhost:9092 on the local mesh
                .registryUrl(registryUrl) // http://localhost:8081
                .build());
    // end::connect[]
    return mesh;
  }

  static MeshClient connectConsumer(String bootstrapServers, String registryUrl) {
    return MeshClient.create(
        MeshClientSettings.builder()
            .domain("pharmacovigilance")
            .bootstrapServers(bootstrapServers)
            .registryUrl(registryUrl)
            .build());
  }

  static RegisteredContract declare(MeshClient mesh) {
    // tag::declare[]
    DataProduct enrollments =
        mesh.declare(
            ProductDeclaration.builder("enrollments")
                .name("Trial enrollments")
                .description("One record per participant enrolled at a trial site")
                .owner("enrollment-platform", "enrollment@clinical-trials.example")
                .tags("trial", "enrollment")
                .classification(Classification.PII)
                .slos(Slos.none().withMinPassRate(0.9).withMaxStaleness(Duration.ofMinutes(10)))
                .build());
    RegisteredContract contract =
        mesh.registerContract(
            "enrollments",
            Contract.of(TrialEnrollment.class)
                .withRules(
                    ContractRule.named("adult").field("age").min(18).max(100),
                    ContractRule.named("site-code").field("siteId").pattern("[A-Z]{2}-[0-9]{3}"),
                    ContractRule.named("known-arm")
                        .field("arm")
                        .allowed("PLACEBO", "LOW_DOSE", "HIGH_DOSE")));
    // end::declare[]
    return contract;
  }

  static PublishResult publish(MeshClient mesh) {
    // tag::publish[]
    TrialEnrollment enrollment =
        TrialEnrollment.newBuilder()
            .setEnrollmentId("ENR-000042")
            .setTrialId("TRIAL-7")
            .setSiteId("DE-014")
            .setAge(54)
            .setArm("LOW_DOSE")
            .setEnrolledAt(Instant.now())
            .build();
    CompletableFuture<PublishResult> sent =
        mesh.publish("enrollments", enrollment.getEnrollmentId(), enrollment);
    PublishResult written = sent.join(); // or thenAccept(...): the send does not block
    // end::publish[]
    return written;
  }

  /** The page's evolution: a compatible v2, then a change that is refused with its reasons. */
  static List<String> evolve(MeshClient mesh) {
    // tag::evolve[]
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
            .optionalString("consentVersion") // new and optional: BACKWARD compatible
            .endRecord();
    RegisteredContract second = mesh.registerContract("enrollments", v2);

    Schema broken =
        SchemaBuilder.record("TrialEnrollment")
            .namespace("com.example.trials")
            .fields()
            .requiredString("enrollmentId")
            .requiredString("investigator") // new, required, no default: old data has none
            .endRecord();
    try {
      mesh.registerContract("enrollments", broken);
    } catch (ContractRefusedException refused) {
      refused.reasons().forEach(System.out::println);
      // READER_FIELD_MISSING_DEFAULT_VALUE: The field 'investigator' at path '/fields/1' in the
      // new schema has no default value and is missing in the old schema
      // checked under compatibility level BACKWARD against version 2
    }
    // end::evolve[]
    if (second.version() < 2) {
      throw new AssertionError("v2 was not registered as a new version: " + second);
    }
    try {
      mesh.registerContract("enrollments", broken);
    } catch (ContractRefusedException refused) {
      return refused.reasons();
    }
    throw new AssertionError("the broken contract was accepted");
  }

  static void qualityAndDeprecation(MeshClient mesh) {
    // tag::quality[]
    mesh.publishQualityResult(
        "enrollments",
        QualityResult.failed("consent-form-complete")
            .dimension(QualityDimension.COMPLETENESS)
            .measured(0.82, 0.95)
            .recordCount(500)
            .message("18% of enrollments lack a signed consent form")
            .build());
    mesh.deprecate(
        "enrollments",
        Instant.now().plus(90, ChronoUnit.DAYS),
        "replaced by clinical-trials.enrollments-v2",
        "clinical-trials.enrollments-v2"); // the successor: its subscribers count as migrated
    // end::quality[]
  }

  static ProductSubscription subscribe(MeshClient pharmacovigilance, MeshClient clinicalTrials) {
    // tag::subscribe[]
    ProductSubscription asked =
        pharmacovigilance.subscribe(
            "clinical-trials.enrollments", "adverse-event signal detection");
    // REQUESTED: the product's policy is OWNER_APPROVAL, so its owner decides
    clinicalTrials.approveSubscription("enrollments", "pharmacovigilance");
    // end::subscribe[]
    return asked;
  }

  static NotificationStream listen(MeshClient pharmacovigilance, Consumer<MeshNotification> out) {
    // tag::notifications[]
    NotificationStream stream =
        pharmacovigilance.notifications(
            n -> System.out.println(n.type() + " " + n.productId() + ": " + n.summary()));
    // PRODUCT_DEPRECATED clinical-trials.enrollments: clinical-trials.enrollments is deprecated...
    // end::notifications[]
    stream.close();
    return pharmacovigilance.notifications(out);
  }

  static List<TrialEnrollment> consume(MeshClient pharmacovigilance, int wanted) {
    // tag::consume[]
    List<TrialEnrollment> read = new ArrayList<>();
    try (ProductConsumer<TrialEnrollment> enrollments =
        pharmacovigilance.consume(
            "clinical-trials.enrollments", TrialEnrollment.class, "signal-detection")) {
      while (read.size() < wanted) { // a service would loop until it stops
        for (ProductRecord<TrialEnrollment> record : enrollments.poll(Duration.ofSeconds(1))) {
          read.add(record.value()); // only records that met the contract and its rules
        }
      }
    }
    // end::consume[]
    return read;
  }
}
