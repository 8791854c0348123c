package dev.meshbone.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.example.trials.TrialEnrollment;
import dev.meshbone.client.CompatibilityVerdict;
import dev.meshbone.client.Contract;
import dev.meshbone.client.ContractRefusedException;
import dev.meshbone.client.DataProduct;
import dev.meshbone.client.MeshClient;
import dev.meshbone.client.MeshIssue;
import dev.meshbone.client.MeshNotification;
import dev.meshbone.client.MeshRequestException;
import dev.meshbone.client.ProductChangeRefusedException;
import dev.meshbone.client.ProductDeclaration;
import dev.meshbone.client.ProductSubscription;
import dev.meshbone.client.PublishResult;
import dev.meshbone.client.QualityResult;
import dev.meshbone.client.RegisteredContract;
import dev.meshbone.client.Slos;
import dev.meshbone.client.UnknownProductException;
import dev.meshbone.events.HealthState;
import dev.meshbone.events.IssueKind;
import dev.meshbone.events.IssueSeverity;
import dev.meshbone.events.IssueState;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.NotificationType;
import dev.meshbone.events.SubscriptionPolicy;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The domain SDK end to end against the real services on a real broker: a producer domain declares
 * a product and registers, evolves (and is refused) its contract, reports quality and deprecates; a
 * consumer domain subscribes and hears about each change. The record path (publishing, reading
 * validated records, dead letters) is {@link MeshClientRecordsIT}.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeshClientIT {
  private MeshServices mesh;
  // One producer domain for the class: the validator picks a new domain's control topic up
  // within its 10 s pattern refresh, so each test takes products of its own in a shared domain.
  private final String producer = domain("sup");
  private final String consumer = domain("pv");

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

  private static String domain(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  }

  private static ProductDeclaration.Builder product(String name) {
    return ProductDeclaration.builder(name)
        .name("Batch releases")
        .owner("qa-release", "qa@example.com")
        .tags("gmp");
  }

  @Test
  void shouldRunTheReadmeWalkThroughOfTheSdk() {
    List<MeshNotification> heard = new CopyOnWriteArrayList<>();
    try (MeshClient clinicalTrials =
            ReadmeSnippets.connect(mesh.bootstrapServers(), mesh.registryUrl());
        MeshClient pharmacovigilance =
            ReadmeSnippets.connectConsumer(mesh.bootstrapServers(), mesh.registryUrl())) {
      RegisteredContract v1 = ReadmeSnippets.declare(clinicalTrials);
      assertThat(v1.subject()).isEqualTo("clinical-trials.enrollments-value");
      var listening = ReadmeSnippets.listen(pharmacovigilance, heard::add);
      await().atMost(Duration.ofSeconds(10)).until(listening::isConnected);

      ProductSubscription asked = ReadmeSnippets.subscribe(pharmacovigilance, clinicalTrials);
      assertThat(asked.state()).isIn(SubscriptionState.REQUESTED, SubscriptionState.APPROVED);

      // The SDK page's record snippets, on the same product (the page walks one product through).
      PublishResult written = ReadmeSnippets.publish(clinicalTrials);
      assertThat(written.topic()).isEqualTo("clinical-trials.enrollments.ingest");
      List<TrialEnrollment> read =
          assertTimeoutPreemptively(
              Duration.ofSeconds(60), () -> ReadmeSnippets.consume(pharmacovigilance, 1));
      assertThat(read).extracting(TrialEnrollment::getEnrollmentId).contains("ENR-000042");

      List<String> refusal = ReadmeSnippets.evolve(clinicalTrials);
      assertThat(refusal.get(0))
          .startsWith("READER_FIELD_MISSING_DEFAULT_VALUE: The field 'investigator'");
      ReadmeSnippets.qualityAndDeprecation(clinicalTrials);

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(heard)
                      .extracting(MeshNotification::type)
                      .contains(
                          NotificationType.SUBSCRIPTION_APPROVED,
                          NotificationType.CONTRACT_VERSION_ADDED,
                          NotificationType.QUALITY_ALERT_RAISED,
                          NotificationType.PRODUCT_DEPRECATED));
      assertThat(heard).allMatch(n -> n.recipient().equals("pharmacovigilance"));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                DataProduct product = clinicalTrials.product("enrollments");
                assertThat(product.status()).isEqualTo(LifecycleStatus.DEPRECATED);
                assertThat(product.health()).isEqualTo(HealthState.BREACHED);
                assertThat(product.contractVersion()).isGreaterThanOrEqualTo(2);
              });
    }
  }

  @Test
  void shouldDeclareOnceAndChangeOnlyWhatDiffers() {
    try (MeshClient client = mesh.client(producer)) {
      DataProduct created = client.declare(product("declared").build());
      DataProduct again = client.declare(product("declared").build());
      DataProduct changed = client.declare(product("declared").tags("gmp", "release").build());

      assertThat(created.status()).isEqualTo(LifecycleStatus.ACTIVE);
      assertThat(created.version()).isEqualTo(1);
      assertThat(again.version()).isEqualTo(1);
      assertThat(changed.version()).isEqualTo(2);
      assertThat(changed.id()).isEqualTo(producer + ".declared");
    }
  }

  @Test
  void shouldRaiseTheValidatorsReasonsForADeclarationTheMeshRefuses() {
    try (MeshClient client = mesh.client(producer)) {
      assertThatThrownBy(
              () ->
                  client.declare(
                      product("refused")
                          .slos(Slos.none().withMinPassRate(1.5))
                          .inputs("nosuch.domain-product")
                          .build()))
          .isInstanceOfSatisfying(
              ProductChangeRefusedException.class,
              e ->
                  assertThat(e.reasons())
                      .anySatisfy(
                          r -> {
                            assertThat(r.code()).isEqualTo("INVALID_SLO");
                            assertThat(r.field()).isEqualTo("descriptor.slos.minPassRate");
                          }))
          .hasMessageContaining("contract-validator refused to declare");
    }
  }

  @Test
  void shouldRegisterAGeneratedClassEvolveCompatiblyAndBeRefusedIncompatibly() {
    String domain = producer;
    try (MeshClient client = mesh.client(domain)) {
      client.declare(product("contracts").build());

      RegisteredContract v1 = client.registerContract("contracts", TrialEnrollment.class);
      RegisteredContract same = client.registerContract("contracts", TrialEnrollment.class);
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
      CompatibilityVerdict check = client.checkContract("contracts", Contract.of(v2));
      RegisteredContract second = client.registerContract("contracts", v2);
      Schema incompatible =
          SchemaBuilder.record("TrialEnrollment")
              .namespace("com.example.trials")
              .fields()
              .requiredLong("age") // int to long: the new schema reads old data, but...
              .requiredString("investigator") // ...this new field has no default
              .endRecord();
      CompatibilityVerdict refusedCheck =
          client.checkContract("contracts", Contract.of(incompatible));

      assertThat(v1.version()).isEqualTo(1);
      assertThat(v1.newVersion()).isTrue();
      assertThat(same)
          .isEqualTo(new RegisteredContract(v1.productId(), v1.subject(), v1.schemaId(), 1, false));
      assertThat(check.compatible()).isTrue();
      assertThat(second.version()).isEqualTo(2);
      assertThat(second.newVersion()).isTrue();
      assertThat(refusedCheck.compatible()).isFalse();
      assertThat(refusedCheck.reasons()).anyMatch(r -> r.contains("'investigator'"));
      assertThatThrownBy(() -> client.registerContract("contracts", incompatible))
          .isInstanceOfSatisfying(
              ContractRefusedException.class,
              e -> {
                assertThat(e.isIncompatible()).isTrue();
                assertThat(e.subject()).isEqualTo(domain + ".contracts-value");
                assertThat(e.reasons())
                    .anyMatch(r -> r.startsWith("READER_FIELD_MISSING_DEFAULT_VALUE"))
                    .contains("checked under compatibility level BACKWARD against version 2");
              })
          .hasMessageContaining("Nothing was registered");
      assertThat(client.product("contracts").contractVersion()).isEqualTo(2);
    }
  }

  @Test
  void shouldAutoApproveAndNotifyTheSubscriberOfAQualityAlertAndItsRetirement() {
    String owner = producer;
    List<MeshNotification> heard = new CopyOnWriteArrayList<>();
    try (MeshClient supply = mesh.client(owner);
        MeshClient reader = mesh.client(consumer);
        var stream = reader.notifications(heard::add)) {
      supply.declare(
          product("alerted")
              .subscriptionPolicy(SubscriptionPolicy.AUTO_APPROVE)
              .slos(Slos.none().withMinPassRate(0.95))
              .build());
      await().atMost(Duration.ofSeconds(10)).until(stream::isConnected);

      ProductSubscription subscription = reader.subscribe(owner + ".alerted", "dosing");
      assertThat(subscription.state()).isEqualTo(SubscriptionState.APPROVED);
      for (int i = 0; i < 3; i++) {
        supply.publishQualityResult(
            "alerted", QualityResult.failed("temperature-excursion").measured(9.5, 8.0).build());
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> supply.product("alerted").health() == HealthState.BREACHED);
      supply.retire("alerted", "site closed");

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(heard)
                      .extracting(MeshNotification::type)
                      .contains(
                          NotificationType.QUALITY_ALERT_RAISED, NotificationType.PRODUCT_RETIRED));
      // The live stream and the stored list each follow mesh.notifications on their own: the
      // list may take a moment longer than the stream.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(reader.recentNotifications(50))
                      .extracting(MeshNotification::type)
                      .contains(
                          NotificationType.QUALITY_ALERT_RAISED, NotificationType.PRODUCT_RETIRED));
      assertThatThrownBy(() -> supply.declare(product("alerted").build()))
          .isInstanceOfSatisfying(
              MeshRequestException.class, e -> assertThat(e.code()).isEqualTo("PRODUCT_RETIRED"));
    }
  }

  @Test
  void shouldReportAnIssueThatTheOwnerAnswers() {
    try (MeshClient owner = mesh.client(producer);
        MeshClient reader = mesh.client(consumer)) {
      owner.declare(product("answered").build());
      String id = producer + ".answered";

      MeshIssue asked =
          reader.reportIssue(
              id, IssueKind.PROBLEM, IssueSeverity.HIGH, "Missing doses", "dose is null");
      MeshIssue acked =
          owner.changeIssueState("answered", asked.issueId(), IssueState.ACKNOWLEDGED, "on it");
      reader.commentOnIssue(id, asked.issueId(), "thanks");

      assertThat(asked.state()).isEqualTo(IssueState.OPEN);
      assertThat(asked.reporterDomain()).isEqualTo(consumer);
      assertThat(acked.state()).isEqualTo(IssueState.ACKNOWLEDGED);
      assertThat(owner.issue("answered", asked.issueId()).thread())
          .extracting(MeshIssue.Entry::action)
          .containsExactly("OPEN", "CHANGE_STATE", "COMMENT");
      assertThat(owner.issues("answered", IssueState.ACKNOWLEDGED))
          .extracting(MeshIssue::issueId)
          .containsExactly(asked.issueId());
      assertThatThrownBy(
              () -> reader.changeIssueState(id, asked.issueId(), IssueState.RESOLVED, null))
          .isInstanceOfSatisfying(
              MeshRequestException.class, e -> assertThat(e.status()).isEqualTo(403));
    }
  }

  @Test
  void shouldSayAProductIsUnknownWhenItWasNeverDeclared() {
    String domain = producer;
    try (MeshClient client = mesh.client(domain)) {
      assertThatThrownBy(
              () -> client.deprecate("ghost", Instant.now().plus(1, ChronoUnit.DAYS), "no"))
          .isInstanceOf(UnknownProductException.class)
          .hasMessageContaining(domain + ".ghost is not in the mesh registry");
      assertThatThrownBy(() -> client.registerContract("ghost", TrialEnrollment.class))
          .isInstanceOf(UnknownProductException.class);
      assertThatThrownBy(() -> client.subscribe("nobody.ghost", "curious"))
          .isInstanceOf(UnknownProductException.class);
      assertThatThrownBy(() -> client.publish("ghost", "k", null).join())
          .cause()
          .isInstanceOf(UnknownProductException.class);
    }
  }

  @Test
  void shouldRefuseADeprecationWhoseSunsetIsPast() {
    try (MeshClient client = mesh.client(producer)) {
      client.declare(product("sunset").build());
      assertThatThrownBy(
              () -> client.deprecate("sunset", Instant.parse("2020-01-01T00:00:00Z"), "late"))
          .isInstanceOfSatisfying(
              ProductChangeRefusedException.class,
              e ->
                  assertThat(e.reasons())
                      .extracting(r -> r.code())
                      .contains("SUNSET_NOT_IN_FUTURE"));
    }
  }
}
