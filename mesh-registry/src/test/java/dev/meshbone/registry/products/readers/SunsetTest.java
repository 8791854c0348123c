package dev.meshbone.registry.products.readers;

import static dev.meshbone.registry.products.Events.created;
import static dev.meshbone.registry.products.Events.deprecated;
import static dev.meshbone.registry.products.Events.descriptor;
import static dev.meshbone.registry.products.Events.event;
import static dev.meshbone.registry.products.Events.subscription;
import static dev.meshbone.registry.products.Events.subscriptionKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.events.ChangeType;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.Notification;
import dev.meshbone.events.NotificationType;
import dev.meshbone.events.ObservedGroup;
import dev.meshbone.events.ReaderObservation;
import dev.meshbone.events.ReaderPartition;
import dev.meshbone.events.Subscription;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.registry.RegistryStreamsApp;
import dev.meshbone.registry.products.catalog.SunsetClock;
import dev.meshbone.registry.products.catalog.SunsetPolicy;
import dev.meshbone.runtime.KafkaSettings;
import dev.meshbone.runtime.MeshSettings;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.TopicSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sunset state machine in the registry's topology, with the wall clock advanced: reminders at
 * each lead time once, the retirement published at the sunset when nobody reads, the wait (told
 * once) while a group lags, a consumer that moved to the successor counting as migrated, and a
 * forced retirement recorded on its notifications.
 */
class SunsetTest {
  private static final String PRODUCT = "clinical-trials.enrollments";
  private static final String OWNER = "clinical-trials";
  private static final String PV = "pharmacovigilance";
  private static final String FINANCE = "finance";

  /** The wall clock at the start; the product was deprecated at 2026-05-01T10:00:00Z (Events). */
  private static final Instant START = Instant.parse("2026-05-01T10:00:00Z");

  private static final Duration CHECK = Duration.ofMinutes(1);
  private final MeshTopics topics = MeshTopics.defaults();
  private TopologyTestDriver driver;
  private TestInputTopic<String, DataProductEvent> products;
  private TestInputTopic<String, Subscription> subscriptions;
  private TestInputTopic<String, ReaderObservation> readers;
  private TestOutputTopic<String, Notification> notifications;
  private TestOutputTopic<String, DataProductEvent> productEvents;

  @BeforeEach
  void start(@TempDir Path stateDir) {
    var policy =
        new SunsetPolicy(
            List.of(Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(1)),
            Duration.ofHours(1),
            CHECK);
    var app = new RegistryStreamsApp(topics, policy);
    var props =
        MeshStreams.streamsConfig(
            app,
            new KafkaSettings(Map.of("bootstrap.servers", "unused:9092")),
            MeshSettings.DEFAULTS.withStateDir(stateDir));
    driver = new TopologyTestDriver(app.topology(), props, START);
    products = input(topics.products);
    subscriptions = input(topics.subscriptions);
    readers = input(topics.observedReaders);
    notifications =
        driver.createOutputTopic(
            topics.notifications.name(),
            topics.notifications.keySerde().deserializer(),
            topics.notifications.valueSerde().deserializer());
    var events = DomainTopics.productEventsSpec(OWNER);
    productEvents =
        driver.createOutputTopic(
            events.name(), events.keySerde().deserializer(), events.valueSerde().deserializer());
    products.pipeInput(PRODUCT, created(PRODUCT, descriptor("Enrollments").build()));
    subscribe(PV, SubscriptionState.APPROVED);
  }

  @AfterEach
  void close() {
    driver.close();
  }

  private <V> TestInputTopic<String, V> input(TopicSpec<String, V> spec) {
    return driver.createInputTopic(
        spec.name(), spec.keySerde().serializer(), spec.valueSerde().serializer());
  }

  private void subscribe(String consumer, SubscriptionState state) {
    subscriptions.pipeInput(
        subscriptionKey(PRODUCT, consumer), subscription(PRODUCT, consumer, state, 1_000));
  }

  private void deprecate(Instant sunset) {
    products.pipeInput(PRODUCT, deprecated(PRODUCT, 2, descriptor("Enrollments").build(), sunset));
    notifications.readRecordsToList();
  }

  /** Moves the wall clock to {@code at}, one check interval at a time, as a running app would. */
  private void advanceTo(Instant at) {
    Instant now = START.plus(elapsed);
    // Big jumps are one step: the punctuation fires once, as after a long stop.
    Duration step = Duration.between(now, at);
    driver.advanceWallClockTime(step);
    elapsed = elapsed.plus(step);
  }

  private Duration elapsed = Duration.ZERO;

  private List<Notification> sent(NotificationType type) {
    return notifications.readValuesToList().stream().filter(n -> n.getType() == type).toList();
  }

  private void observe(Instant at, long committed, long end) {
    readers.pipeInput(
        PRODUCT,
        ReaderObservation.newBuilder()
            .setProductId(PRODUCT)
            .setTopic(PRODUCT)
            .setObservedAt(at)
            .setGroups(
                List.of(
                    ObservedGroup.newBuilder()
                        .setGroupId(PV + ".signals")
                        .setPartitions(
                            List.of(
                                ReaderPartition.newBuilder()
                                    .setPartition(0)
                                    .setCommittedOffset(committed)
                                    .setEndOffset(end)
                                    .build()))
                        .build()))
            .build());
  }

  @Test
  void shouldRemindEachApprovedSubscriberAtEachLeadTimeOnce() {
    Instant sunset = START.plus(Duration.ofDays(40));
    deprecate(sunset);

    advanceTo(sunset.minus(Duration.ofDays(30)).minusSeconds(1));
    assertThat(sent(NotificationType.SUNSET_REMINDER)).isEmpty();
    advanceTo(sunset.minus(Duration.ofDays(30)).plus(CHECK));
    List<Notification> first = sent(NotificationType.SUNSET_REMINDER);
    advanceTo(sunset.minus(Duration.ofDays(30)).plus(CHECK.multipliedBy(5)));
    List<Notification> again = sent(NotificationType.SUNSET_REMINDER);
    advanceTo(sunset.minus(Duration.ofDays(7)).plus(CHECK));
    List<Notification> week = sent(NotificationType.SUNSET_REMINDER);

    assertThat(first).hasSize(1);
    assertThat(first.get(0).getRecipientDomain()).isEqualTo(PV);
    assertThat(first.get(0).getAttributes())
        .containsEntry("leadTime", "PT720H")
        .containsEntry("status", "DRAINED");
    assertThat(again).isEmpty();
    assertThat(week).extracting(n -> n.getAttributes().get("leadTime")).containsExactly("PT168H");
  }

  @Test
  void shouldSendEveryReminderDueWhileTheClockDidNotTickOnceAndNoneAgain() {
    Instant sunset = START.plus(Duration.ofDays(40));
    deprecate(sunset);

    // As after a stop of the registry across two lead times: one check sees both due.
    advanceTo(sunset.minus(Duration.ofDays(7)).plus(CHECK));
    List<Notification> late = sent(NotificationType.SUNSET_REMINDER);
    advanceTo(sunset.minus(Duration.ofDays(7)).plus(CHECK.multipliedBy(3)));

    assertThat(late)
        .extracting(n -> n.getAttributes().get("leadTime"))
        .containsExactly("PT720H", "PT168H");
    assertThat(sent(NotificationType.SUNSET_REMINDER)).isEmpty();
  }

  @Test
  void shouldOweNoReminderWhoseTimeCameBeforeTheDeprecation() {
    Instant sunset = START.plus(Duration.ofDays(3));
    deprecate(sunset);

    advanceTo(sunset.minus(Duration.ofHours(23)));

    assertThat(sent(NotificationType.SUNSET_REMINDER))
        .extracting(n -> n.getAttributes().get("leadTime"))
        .containsExactly("PT24H");
  }

  @Test
  void shouldRetireAtTheSunsetWhenNobodyReads() {
    subscribe(FINANCE, SubscriptionState.APPROVED);
    subscribe(FINANCE, SubscriptionState.REVOKED);
    Instant sunset = START.plus(Duration.ofHours(2));
    deprecate(sunset);

    advanceTo(sunset.minusSeconds(30));
    assertThat(productEvents.isEmpty()).isTrue();
    advanceTo(sunset.plus(CHECK));

    List<DataProductEvent> published = productEvents.readValuesToList();
    assertThat(published).hasSize(1);
    assertThat(published.get(0).getType()).isEqualTo(ChangeType.RETIRED);
    assertThat(published.get(0).getActor()).isEqualTo(SunsetClock.ACTOR);
    assertThat(published.get(0).getProductId()).isEqualTo(PRODUCT);
    assertThat(sent(NotificationType.SUNSET_BLOCKED)).isEmpty();
    advanceTo(sunset.plus(CHECK.multipliedBy(4)));
    assertThat(productEvents.isEmpty()).as("published once").isTrue();
  }

  @Test
  void shouldWaitWhileAGroupLagsTellingOnceAndRetireWhenItHasDrained() {
    Instant sunset = START.plus(Duration.ofHours(2));
    deprecate(sunset);
    observe(START, 4, 10);

    advanceTo(sunset.plus(CHECK));
    List<Notification> blocked = sent(NotificationType.SUNSET_BLOCKED);
    advanceTo(sunset.plus(CHECK.multipliedBy(10)));
    List<Notification> blockedAgain = sent(NotificationType.SUNSET_BLOCKED);
    assertThat(productEvents.isEmpty()).isTrue();

    Instant drainedAt = sunset.plus(CHECK.multipliedBy(10));
    observe(drainedAt, 10, 10);
    advanceTo(drainedAt.plus(Duration.ofMinutes(30)));
    assertThat(productEvents.isEmpty()).as("within the quiet period").isTrue();
    advanceTo(drainedAt.plus(Duration.ofHours(1)).plus(CHECK));

    assertThat(blocked)
        .extracting(Notification::getRecipientDomain)
        .containsExactlyInAnyOrder(OWNER, PV);
    assertThat(blocked.get(0).getAttributes()).containsEntry("blockers", PV);
    assertThat(blockedAgain).isEmpty();
    assertThat(productEvents.readValuesToList())
        .extracting(DataProductEvent::getType)
        .containsExactly(ChangeType.RETIRED);
  }

  /**
   * The deprecated product names a successor (its own partition, maybe another instance): a
   * consumer still lagging on the old product stops blocking once it holds an APPROVED subscription
   * to the successor, and a migrated consumer gets no reminders.
   */
  @Test
  void shouldCountAConsumerApprovedOnTheSuccessorAsMigrated() {
    String successor = "clinical-trials.enrollments-v2";
    subscribe(FINANCE, SubscriptionState.APPROVED);
    subscriptions.pipeInput(
        subscriptionKey(successor, FINANCE),
        subscription(successor, FINANCE, SubscriptionState.APPROVED, 1_000));
    subscriptions.pipeInput(
        subscriptionKey(successor, PV),
        subscription(successor, PV, SubscriptionState.REQUESTED, 1_000));
    subscriptions.pipeInput(
        subscriptionKey("clinical-trials.other", PV),
        subscription("clinical-trials.other", PV, SubscriptionState.APPROVED, 1_000));
    Instant sunset = START.plus(Duration.ofDays(10));
    products.pipeInput(
        PRODUCT,
        deprecated(PRODUCT, 2, descriptor("Enrollments").setSuccessor(successor).build(), sunset));
    notifications.readRecordsToList();
    observe(START, 4, 10);

    advanceTo(sunset.minus(Duration.ofDays(7)).plus(CHECK));
    List<Notification> reminders = sent(NotificationType.SUNSET_REMINDER);
    advanceTo(sunset.plus(CHECK));
    List<Notification> blocked = sent(NotificationType.SUNSET_BLOCKED);
    assertThat(productEvents.isEmpty()).as("pharmacovigilance still reads").isTrue();

    // Pharmacovigilance moves to the successor: approved there, it no longer blocks.
    subscriptions.pipeInput(
        subscriptionKey(successor, PV),
        subscription(successor, PV, SubscriptionState.APPROVED, 2_000));
    advanceTo(sunset.plus(CHECK.multipliedBy(2)));

    assertThat(reminders)
        .extracting(Notification::getRecipientDomain)
        .as("finance, on the successor already, is not reminded")
        .containsExactly(PV);
    assertThat(blocked.get(0).getAttributes()).containsEntry("blockers", PV);
    assertThat(productEvents.readValuesToList())
        .extracting(DataProductEvent::getType)
        .containsExactly(ChangeType.RETIRED);
  }

  @Test
  void shouldRecordAForcedRetirementOnItsNotifications() {
    Instant sunset = START.plus(Duration.ofHours(2));
    deprecate(sunset);
    observe(START, 4, 10);
    advanceTo(sunset.plus(CHECK));
    notifications.readRecordsToList();

    products.pipeInput(
        PRODUCT,
        event(PRODUCT, ChangeType.RETIRED, LifecycleStatus.RETIRED, 3, descriptor("E").build()));

    List<Notification> retired = sent(NotificationType.PRODUCT_RETIRED);
    assertThat(retired)
        .extracting(Notification::getRecipientDomain)
        .containsExactlyInAnyOrder(PV, OWNER);
    assertThat(retired)
        .allSatisfy(
            n ->
                assertThat(n.getAttributes())
                    .containsEntry("forced", "true")
                    .containsEntry("stillReading", PV));
  }
}
