package dev.meshbone.registry.products;

import static dev.meshbone.registry.products.Events.accepted;
import static dev.meshbone.registry.products.Events.alert;
import static dev.meshbone.registry.products.Events.created;
import static dev.meshbone.registry.products.Events.deprecated;
import static dev.meshbone.registry.products.Events.descriptor;
import static dev.meshbone.registry.products.Events.event;
import static dev.meshbone.registry.products.Events.subscription;
import static dev.meshbone.registry.products.Events.subscriptionKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meshbone.events.AccessGrant;
import dev.meshbone.events.AccessOperation;
import dev.meshbone.events.AlertState;
import dev.meshbone.events.ChangeType;
import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.ContractViolation;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.HealthState;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.Notification;
import dev.meshbone.events.NotificationType;
import dev.meshbone.events.ProductHealth;
import dev.meshbone.events.ProductStats;
import dev.meshbone.events.QualityAlert;
import dev.meshbone.events.Subscription;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.registry.RegistryStreamsApp;
import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.catalog.HealthTrail;
import dev.meshbone.registry.products.catalog.ProductSubscriptions;
import dev.meshbone.registry.products.catalog.RecentNotifications;
import dev.meshbone.runtime.KafkaSettings;
import dev.meshbone.runtime.MeshSettings;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.topics.MeshTopics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog section of the registry topology, driven record by record. */
class ProductCatalogTest {
  private static final String ENROLLMENTS = "clinical-trials.enrollments";
  private static final String SITES = "clinical-trials.sites";
  private static final String SIGNALS = "pharmacovigilance.signals";

  private final MeshTopics topics = MeshTopics.defaults();
  private TopologyTestDriver driver;
  private TestInputTopic<String, DataProductEvent> products;
  private TestInputTopic<String, Subscription> subscriptions;
  private TestInputTopic<String, ProductHealth> health;
  private TestInputTopic<String, ProductStats> stats;
  private TestInputTopic<String, QualityAlert> alerts;
  private TestInputTopic<String, ContractDecision> decisions;
  private TestInputTopic<String, ContractViolation> violations;
  private TestOutputTopic<String, Notification> notifications;
  private TestOutputTopic<String, AccessGrant> grants;

  @BeforeEach
  void start(@TempDir Path stateDir) {
    // The service's own Streams config (exactly once, decode errors logged and skipped).
    var app = new RegistryStreamsApp(topics);
    var props =
        MeshStreams.streamsConfig(
            app,
            new KafkaSettings(Map.of("bootstrap.servers", "unused:9092")),
            MeshSettings.DEFAULTS.withStateDir(stateDir));
    driver = new TopologyTestDriver(app.topology(), props);
    products = input(topics.products);
    subscriptions = input(topics.subscriptions);
    health = input(topics.qualityStatus);
    stats = input(topics.productStats);
    alerts = input(topics.qualityAlerts);
    decisions = input(topics.contractDecisions);
    violations = input(topics.violations);
    notifications =
        driver.createOutputTopic(
            topics.notifications.name(),
            topics.notifications.keySerde().deserializer(),
            topics.notifications.valueSerde().deserializer());
    grants =
        driver.createOutputTopic(
            topics.accessGrants.name(),
            topics.accessGrants.keySerde().deserializer(),
            topics.accessGrants.valueSerde().deserializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  private <V> TestInputTopic<String, V> input(dev.meshbone.topics.TopicSpec<String, V> spec) {
    return driver.createInputTopic(
        spec.name(), spec.keySerde().serializer(), spec.valueSerde().serializer());
  }

  private <V> KeyValueStore<String, V> store(String name) {
    return driver.getKeyValueStore(name);
  }

  private void subscribe(String productId, String consumer, SubscriptionState state, long at) {
    subscriptions.pipeInput(
        subscriptionKey(productId, consumer), subscription(productId, consumer, state, at));
  }

  @Test
  void shouldMaterializeTheLatestProductEventByProductId() {
    products.pipeInput(ENROLLMENTS, created(ENROLLMENTS, descriptor("Enrollments").build()));
    var updated =
        event(
            ENROLLMENTS,
            ChangeType.UPDATED,
            LifecycleStatus.ACTIVE,
            2,
            descriptor("Trial enrollments").build());
    products.pipeInput(ENROLLMENTS, updated);

    DataProductEvent stored =
        this.<DataProductEvent>store(CatalogStores.PRODUCTS_STORE).get(ENROLLMENTS);
    assertThat(stored.getDescriptor().getName()).isEqualTo("Trial enrollments");
    assertThat(stored.getVersion()).isEqualTo(2);
  }

  @Test
  void shouldKeepTheDescriptorAndDeriveTheStatusWhenAnEventOmitsThem() {
    products.pipeInput(ENROLLMENTS, created(ENROLLMENTS, descriptor("Enrollments").build()));
    products.pipeInput(
        ENROLLMENTS, event(ENROLLMENTS, ChangeType.RETIRED, LifecycleStatus.UNKNOWN, 0, null));

    DataProductEvent stored =
        this.<DataProductEvent>store(CatalogStores.PRODUCTS_STORE).get(ENROLLMENTS);
    assertThat(stored.getStatus()).isEqualTo(LifecycleStatus.RETIRED);
    assertThat(stored.getDescriptor().getName()).isEqualTo("Enrollments");
    assertThat(stored.getVersion()).isEqualTo(2);
  }

  @Test
  void shouldRemoveAProductOnATombstone() {
    products.pipeInput(ENROLLMENTS, created(ENROLLMENTS, descriptor("Enrollments").build()));
    products.pipeInput(ENROLLMENTS, (DataProductEvent) null);

    assertThat(store(CatalogStores.PRODUCTS_STORE).get(ENROLLMENTS)).isNull();
  }

  @Test
  void shouldIndexDownstreamLineageUnderEachInputProduct() {
    products.pipeInput(
        SIGNALS,
        created(SIGNALS, descriptor("Signals").setInputs(List.of(ENROLLMENTS, SITES)).build()));

    assertThat(this.<List<String>>store(CatalogStores.DOWNSTREAM_STORE).get(ENROLLMENTS))
        .containsExactly(SIGNALS);
    assertThat(this.<List<String>>store(CatalogStores.DOWNSTREAM_STORE).get(SITES))
        .containsExactly(SIGNALS);
  }

  @Test
  void shouldTakeBackADownstreamEdgeWhenAnInputIsDropped() {
    var withBoth = descriptor("Signals").setInputs(List.of(ENROLLMENTS, SITES)).build();
    products.pipeInput(SIGNALS, created(SIGNALS, withBoth));
    var withSitesOnly = descriptor("Signals").setInputs(List.of(SITES)).build();
    products.pipeInput(
        SIGNALS, event(SIGNALS, ChangeType.UPDATED, LifecycleStatus.ACTIVE, 2, withSitesOnly));

    assertThat(store(CatalogStores.DOWNSTREAM_STORE).get(ENROLLMENTS)).isNull();
    assertThat(this.<List<String>>store(CatalogStores.DOWNSTREAM_STORE).get(SITES))
        .containsExactly(SIGNALS);
  }

  @Test
  void shouldMaterializeHealthAndStatsByProductId() {
    health.pipeInput(ENROLLMENTS, Events.health(ENROLLMENTS, HealthState.DEGRADED));
    stats.pipeInput(ENROLLMENTS, Events.stats(ENROLLMENTS, 90, 10));

    assertThat(this.<ProductHealth>store(CatalogStores.HEALTH_STORE).get(ENROLLMENTS).getState())
        .isEqualTo(HealthState.DEGRADED);
    assertThat(this.<ProductStats>store(CatalogStores.STATS_STORE).get(ENROLLMENTS).getInvalid())
        .isEqualTo(10);
  }

  @Test
  void shouldKeepTheLatestHealthOfEachTenSecondStep() {
    Instant t0 = Instant.parse("2026-05-01T10:00:00Z");
    // Every 2 s for 30 s: HEALTHY, then DEGRADED from 20 s on.
    for (int s = 0; s <= 30; s += 2) {
      var state = s < 20 ? HealthState.HEALTHY : HealthState.DEGRADED;
      health.pipeInput(
          ENROLLMENTS,
          ProductHealth.newBuilder(Events.health(ENROLLMENTS, state))
              .setEvaluatedAt(t0.plusSeconds(s))
              .setPassRate(1.0 - s / 100.0)
              .build());
    }
    // A late, older evaluation changes nothing.
    health.pipeInput(
        ENROLLMENTS,
        ProductHealth.newBuilder(Events.health(ENROLLMENTS, HealthState.BREACHED))
            .setEvaluatedAt(t0.plusSeconds(5))
            .build());

    HealthTrail trail = this.<HealthTrail>store(CatalogStores.HEALTH_TRAIL_STORE).get(ENROLLMENTS);
    assertThat(trail.points())
        .extracting(p -> (p.at() - t0.toEpochMilli()) / 1000, HealthTrail.Point::state)
        .containsExactly(
            tuple(8L, HealthState.HEALTHY),
            tuple(18L, HealthState.HEALTHY),
            tuple(28L, HealthState.DEGRADED),
            tuple(30L, HealthState.DEGRADED));
    assertThat(trail.points().get(3).passRate()).isEqualTo(0.70);

    // Retired: the health's tombstone takes the trail with it.
    health.pipeInput(ENROLLMENTS, (ProductHealth) null);
    assertThat(store(CatalogStores.HEALTH_TRAIL_STORE).get(ENROLLMENTS)).isNull();
  }

  @Test
  void shouldGatherSubscriptionsUnderTheirProduct() {
    subscribe(ENROLLMENTS, "pharmacovigilance", SubscriptionState.APPROVED, 2_000);
    subscribe(ENROLLMENTS, "supply-chain", SubscriptionState.REQUESTED, 2_000);

    ProductSubscriptions subs =
        this.<ProductSubscriptions>store(CatalogStores.SUBSCRIPTIONS_STORE).get(ENROLLMENTS);
    assertThat(subs.all())
        .extracting(Subscription::getConsumerDomain)
        .containsExactly("pharmacovigilance", "supply-chain");
    assertThat(subs.approvedConsumers()).containsExactly("pharmacovigilance");
  }

  @Test
  void shouldForgetASubscriptionOnATombstone() {
    subscribe(ENROLLMENTS, "pharmacovigilance", SubscriptionState.APPROVED, 2_000);
    subscriptions.pipeInput(subscriptionKey(ENROLLMENTS, "pharmacovigilance"), (Subscription) null);

    assertThat(store(CatalogStores.SUBSCRIPTIONS_STORE).get(ENROLLMENTS)).isNull();
  }

  @Test
  void shouldNotifyEachApprovedSubscriberOnceOfADeprecation() {
    var d = descriptor("Enrollments").build();
    products.pipeInput(ENROLLMENTS, created(ENROLLMENTS, d));
    for (String consumer : List.of("pharmacovigilance", "supply-chain", "finance")) {
      subscribe(ENROLLMENTS, consumer, SubscriptionState.APPROVED, 2_000);
    }
    subscribe(ENROLLMENTS, "marketing", SubscriptionState.REQUESTED, 2_000);
    subscribe(ENROLLMENTS, "legal", SubscriptionState.APPROVED, 2_000);
    subscribe(ENROLLMENTS, "legal", SubscriptionState.REVOKED, 3_000);
    notifications.readRecordsToList();

    products.pipeInput(
        ENROLLMENTS, deprecated(ENROLLMENTS, 2, d, Instant.parse("2027-03-01T00:00:00Z")));

    var sent = notifications.readRecordsToList();
    assertThat(sent)
        .extracting(r -> r.key())
        .containsExactlyInAnyOrder("pharmacovigilance", "supply-chain", "finance");
    assertThat(sent)
        .allSatisfy(
            r -> {
              assertThat(r.value().getType()).isEqualTo(NotificationType.PRODUCT_DEPRECATED);
              assertThat(r.value().getSummary()).contains("sunset 2027-03-01");
              assertThat(r.value().getAttributes())
                  .containsEntry("sunsetAt", "2027-03-01T00:00:00Z");
            });
  }

  @Test
  void shouldNotifySubscribersOfADescriptorChangeNamingTheChangedFields() {
    products.pipeInput(ENROLLMENTS, created(ENROLLMENTS, descriptor("Enrollments").build()));
    subscribe(ENROLLMENTS, "pharmacovigilance", SubscriptionState.APPROVED, 2_000);
    notifications.readRecordsToList();

    var changed = descriptor("Enrollments").setTags(List.of("trial", "gold")).build();
    products.pipeInput(
        ENROLLMENTS, event(ENROLLMENTS, ChangeType.UPDATED, LifecycleStatus.ACTIVE, 2, changed));

    Notification n = notifications.readValue();
    assertThat(n.getType()).isEqualTo(NotificationType.DESCRIPTOR_CHANGED);
    assertThat(n.getAttributes()).containsEntry("changedFields", "tags");
    assertThat(notifications.isEmpty()).isTrue();
  }

  @Test
  void shouldNotifySubscribersOfARetirement() {
    var d = descriptor("Enrollments").build();
    products.pipeInput(ENROLLMENTS, created(ENROLLMENTS, d));
    subscribe(ENROLLMENTS, "pharmacovigilance", SubscriptionState.APPROVED, 2_000);
    notifications.readRecordsToList();

    products.pipeInput(
        ENROLLMENTS, event(ENROLLMENTS, ChangeType.RETIRED, LifecycleStatus.RETIRED, 2, d));

    assertThat(notifications.readValue().getType()).isEqualTo(NotificationType.PRODUCT_RETIRED);
  }

  @Test
  void shouldNotifySubscribersOfANewContractVersionOnce() {
    products.pipeInput(ENROLLMENTS, created(ENROLLMENTS, descriptor("Enrollments").build()));
    subscribe(ENROLLMENTS, "pharmacovigilance", SubscriptionState.APPROVED, 2_000);
    notifications.readRecordsToList();

    decisions.pipeInput("r1", accepted(ENROLLMENTS + "-value", 2, 11));
    decisions.pipeInput("r2", accepted(ENROLLMENTS + "-value", 2, 11));

    var sent = notifications.readValuesToList();
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).getType()).isEqualTo(NotificationType.CONTRACT_VERSION_ADDED);
    assertThat(sent.get(0).getAttributes())
        .containsEntry("version", "2")
        .containsEntry("schemaId", "11");
  }

  @Test
  void shouldTellEachConsumerWhichOfItsDeclaredFieldsAnOverriddenVersionBroke() {
    products.pipeInput(ENROLLMENTS, created(ENROLLMENTS, descriptor("Enrollments").build()));
    subscribe(ENROLLMENTS, "pharmacovigilance", SubscriptionState.APPROVED, 2_000);
    subscribe(ENROLLMENTS, "finance", SubscriptionState.APPROVED, 2_000);
    notifications.readRecordsToList();
    var decision = ContractDecision.newBuilder(accepted(ENROLLMENTS + "-value", 3, 14));
    decision.setBreaks(
        java.util.List.of(
            fieldBreakBuilder("pharmacovigilance", "patientId").build(),
            fieldBreakBuilder("pharmacovigilance", "site.code").build(),
            // a break of another product under the same subject: not this product's to tell
            fieldBreakBuilder("finance", "arm").setProductId("clinical-trials.other").build()));

    decisions.pipeInput("r1", decision.build());

    var breaking =
        notifications.readValuesToList().stream()
            .filter(n -> n.getType() == NotificationType.CONTRACT_BREAKING_CHANGE)
            .toList();
    assertThat(breaking).hasSize(1);
    assertThat(breaking.get(0).getRecipientDomain()).isEqualTo("pharmacovigilance");
    assertThat(breaking.get(0).getAttributes())
        .containsEntry("brokenFields", "patientId,site.code")
        .containsEntry("version", "3");
    assertThat(breaking.get(0).getNotificationId())
        .isEqualTo("breaking:" + ENROLLMENTS + "-value:3:" + ENROLLMENTS + ":pharmacovigilance");
  }

  private static dev.meshbone.events.FieldBreak.Builder fieldBreakBuilder(
      String consumer, String field) {
    return dev.meshbone.events.FieldBreak.newBuilder()
        .setProductId(ENROLLMENTS)
        .setConsumerDomain(consumer)
        .setField(field)
        .setKind("REMOVED")
        .setReason("record Enrollment no longer has a field " + field);
  }

  @Test
  void shouldFindTheProductOfAContractUnderACustomSubject() {
    products.pipeInput(
        ENROLLMENTS,
        created(
            ENROLLMENTS, descriptor("Enrollments").setContractSubject("enrollment-v1").build()));
    subscribe(ENROLLMENTS, "pharmacovigilance", SubscriptionState.APPROVED, 2_000);
    notifications.readRecordsToList();

    decisions.pipeInput("r1", accepted("enrollment-v1", 1, 12));

    Notification n = notifications.readValue();
    assertThat(n.getProductId()).isEqualTo(ENROLLMENTS);
    assertThat(n.getAttributes()).containsEntry("subject", "enrollment-v1");
  }

  @Test
  void shouldNotifySubscribersOfRaisedAndClearedAlerts() {
    subscribe(ENROLLMENTS, "pharmacovigilance", SubscriptionState.APPROVED, 2_000);
    notifications.readRecordsToList();

    alerts.pipeInput(ENROLLMENTS, alert(ENROLLMENTS, "a1", AlertState.RAISED));
    alerts.pipeInput(ENROLLMENTS, alert(ENROLLMENTS, "a1", AlertState.CLEARED));

    assertThat(notifications.readValuesToList())
        .extracting(Notification::getType)
        .containsExactly(
            NotificationType.QUALITY_ALERT_RAISED, NotificationType.QUALITY_ALERT_CLEARED);
  }

  @Test
  void shouldTellTheOwnerOfASubscriptionRequest() {
    subscribe(ENROLLMENTS, "pharmacovigilance", SubscriptionState.REQUESTED, 2_000);

    var n = notifications.readRecord();
    assertThat(n.key()).isEqualTo("clinical-trials");
    assertThat(n.value().getType()).isEqualTo(NotificationType.SUBSCRIPTION_REQUESTED);
    assertThat(n.value().getSummary()).contains("pharmacovigilance asks to subscribe");
  }

  @Test
  void shouldGrantAccessOnApprovalAndTakeItBackOnRevocation() {
    subscribe(ENROLLMENTS, "pharmacovigilance", SubscriptionState.REQUESTED, 2_000);
    subscribe(ENROLLMENTS, "pharmacovigilance", SubscriptionState.APPROVED, 3_000);
    subscribe(ENROLLMENTS, "pharmacovigilance", SubscriptionState.REVOKED, 4_000);

    var sent = grants.readRecordsToList();
    assertThat(sent)
        .extracting(r -> r.value().getOperation())
        .containsExactly(AccessOperation.GRANT, AccessOperation.REVOKE);
    assertThat(sent)
        .allSatisfy(
            r -> {
              assertThat(r.key()).isEqualTo(ENROLLMENTS);
              assertThat(r.value().getTopic()).isEqualTo(ENROLLMENTS);
              assertThat(r.value().getPrincipal()).isEqualTo("User:pharmacovigilance");
            });
  }

  @Test
  void shouldTellTheOwnerOfAViolationOnItsProduct() {
    violations.pipeInput(ENROLLMENTS, Events.violation(ENROLLMENTS, "clinical-trials"));

    var n = notifications.readRecord();
    assertThat(n.key()).isEqualTo("clinical-trials");
    assertThat(n.value().getType()).isEqualTo(NotificationType.CONTRACT_VIOLATION);
    assertThat(n.value().getSummary()).contains("MISSING_OWNER");
  }

  @Test
  void shouldKeepEachDomainsRecentNotificationsWithoutDuplicates() {
    var n = Events.violation(ENROLLMENTS, "clinical-trials");
    violations.pipeInput(ENROLLMENTS, n);
    // The same notification read back twice, as after a replay.
    var copy = notifications.readRecord();
    driver
        .createInputTopic(
            topics.notifications.name(),
            topics.notifications.keySerde().serializer(),
            topics.notifications.valueSerde().serializer())
        .pipeInput(copy.key(), copy.value());

    RecentNotifications recent =
        this.<RecentNotifications>store(CatalogStores.RECENT_NOTIFICATIONS_STORE)
            .get("clinical-trials");
    assertThat(recent.newestFirst()).hasSize(1);
    assertThat(recent.newestFirst().get(0).getNotificationId())
        .isEqualTo(copy.value().getNotificationId());
  }

  @Test
  void shouldSkipARecordThatDoesNotDecodeAndKeepGoing() {
    driver
        .createInputTopic(topics.products.name(), new StringSerializer(), new ByteArraySerializer())
        .pipeInput(ENROLLMENTS, new byte[] {1, 2, 3});
    products.pipeInput(SITES, created(SITES, descriptor("Sites").build()));

    assertThat(store(CatalogStores.PRODUCTS_STORE).get(ENROLLMENTS)).isNull();
    assertThat(store(CatalogStores.PRODUCTS_STORE).get(SITES)).isNotNull();
  }
}
