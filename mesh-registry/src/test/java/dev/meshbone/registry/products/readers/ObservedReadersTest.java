package dev.meshbone.registry.products.readers;

import static dev.meshbone.registry.products.Events.created;
import static dev.meshbone.registry.products.Events.descriptor;
import static dev.meshbone.registry.products.Events.subscription;
import static dev.meshbone.registry.products.Events.subscriptionKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.Notification;
import dev.meshbone.events.NotificationType;
import dev.meshbone.events.ObservedGroup;
import dev.meshbone.events.ReaderObservation;
import dev.meshbone.events.ReaderPartition;
import dev.meshbone.events.ReaderStanding;
import dev.meshbone.events.Subscription;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.registry.RegistryStreamsApp;
import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.runtime.KafkaSettings;
import dev.meshbone.runtime.MeshSettings;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.TopicSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Observed readers: the scan from Admin API answers to observations, and the catalog's ledger of
 * them (standing, commit times, the owner told once), driven through the registry's topology.
 */
class ObservedReadersTest {
  private static final String ENROLLMENTS = "clinical-trials.enrollments";
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private final MeshTopics topics = MeshTopics.defaults();
  private TopologyTestDriver driver;
  private TestInputTopic<String, DataProductEvent> products;
  private TestInputTopic<String, Subscription> subscriptions;
  private TestInputTopic<String, ReaderObservation> readers;
  private TestOutputTopic<String, Notification> notifications;

  @BeforeEach
  void start(@TempDir Path stateDir) {
    var app = new RegistryStreamsApp(topics);
    var props =
        MeshStreams.streamsConfig(
            app,
            new KafkaSettings(Map.of("bootstrap.servers", "unused:9092")),
            MeshSettings.DEFAULTS.withStateDir(stateDir));
    driver = new TopologyTestDriver(app.topology(), props);
    products = input(topics.products);
    subscriptions = input(topics.subscriptions);
    readers = input(topics.observedReaders);
    notifications =
        driver.createOutputTopic(
            topics.notifications.name(),
            topics.notifications.keySerde().deserializer(),
            topics.notifications.valueSerde().deserializer());
    products.pipeInput(ENROLLMENTS, created(ENROLLMENTS, descriptor("Enrollments").build()));
    subscriptions.pipeInput(
        subscriptionKey(ENROLLMENTS, "pharmacovigilance"),
        subscription(ENROLLMENTS, "pharmacovigilance", SubscriptionState.APPROVED, 1_000));
    notifications.readRecordsToList();
  }

  @AfterEach
  void close() {
    driver.close();
  }

  private <V> TestInputTopic<String, V> input(TopicSpec<String, V> spec) {
    return driver.createInputTopic(
        spec.name(), spec.keySerde().serializer(), spec.valueSerde().serializer());
  }

  @Test
  void shouldObserveOnlyTheGroupsWithOffsetsOnTheProductTopicWithTheirLag() {
    var target =
        new ReaderScan.Target(
            ENROLLMENTS, ENROLLMENTS, "clinical-trials", Set.of("pharmacovigilance"));
    TopicPartition p0 = new TopicPartition(ENROLLMENTS, 0);
    TopicPartition p1 = new TopicPartition(ENROLLMENTS, 1);
    var committed =
        Map.of(
            "pharmacovigilance.signals", Map.of(p0, 5L, p1, 7L),
            "finance.costs", Map.of(p0, 10L),
            "other.reader", Map.of(new TopicPartition("other.topic", 0), 3L));

    var o = ReaderScan.observe(List.of(target), committed, Map.of(p0, 10L, p1, 7L), T0);

    ReaderObservation enrollments = o.get(ENROLLMENTS);
    assertThat(enrollments.getGroups())
        .extracting(ObservedGroup::getGroupId)
        .containsExactly("finance.costs", "pharmacovigilance.signals");
    ObservedGroup pv = enrollments.getGroups().get(1);
    assertThat(pv.getStanding()).isEqualTo(ReaderStanding.SUBSCRIBED);
    assertThat(pv.getPartitions())
        .extracting(ReaderPartition::getEndOffset)
        .containsExactly(10L, 7L);
    assertThat(enrollments.getGroups().get(0).getStanding()).isEqualTo(ReaderStanding.UNSUBSCRIBED);
  }

  @Test
  void shouldTellTheOwnerOnceOfAGroupReadingWithoutASubscription() {
    readers.pipeInput(ENROLLMENTS, observation(T0, group("finance.costs", 0, 3, 10)), T0);
    readers.pipeInput(
        ENROLLMENTS, observation(T0.plusSeconds(30), group("finance.costs", 0, 9, 10)), T0);

    List<Notification> sent = notifications.readValuesToList();
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).getType()).isEqualTo(NotificationType.UNSUBSCRIBED_READER);
    assertThat(sent.get(0).getRecipientDomain()).isEqualTo("clinical-trials");
    assertThat(sent.get(0).getAttributes()).containsEntry("groupId", "finance.costs");
  }

  @Test
  void shouldNotTellTheOwnerAgainWhenTheGroupComesBackAfterItWasGone() {
    readers.pipeInput(ENROLLMENTS, observation(T0, group("finance.costs", 0, 3, 10)));
    readers.pipeInput(ENROLLMENTS, observation(T0.plusSeconds(30)));
    readers.pipeInput(
        ENROLLMENTS, observation(T0.plusSeconds(60), group("finance.costs", 0, 4, 10)));

    assertThat(notifications.readValuesToList()).hasSize(1);
  }

  @Test
  void shouldNotFlagTheOwnersNorAnApprovedSubscribersGroups() {
    readers.pipeInput(
        ENROLLMENTS,
        observation(
            T0,
            group("clinical-trials.audit", 0, 3, 10),
            group("pharmacovigilance.signals", 0, 3, 10),
            group("meshbone-quality-monitor", 0, 3, 10)));

    assertThat(notifications.readValuesToList()).isEmpty();
    assertThat(stored().getGroups())
        .extracting(ObservedGroup::getStanding)
        .containsExactly(ReaderStanding.OWNER, ReaderStanding.SUBSCRIBED, ReaderStanding.PLATFORM);
  }

  @Test
  void shouldKeepTheCommitTimeWhileTheOffsetStaysAndMoveItWhenTheOffsetMoves() {
    readers.pipeInput(
        ENROLLMENTS,
        observation(
            T0,
            group("pharmacovigilance.signals", 0, 3, 10),
            group("pharmacovigilance.signals", 1, 5, 5)));
    readers.pipeInput(
        ENROLLMENTS,
        observation(
            T0.plusSeconds(30),
            group("pharmacovigilance.signals", 0, 8, 12),
            group("pharmacovigilance.signals", 1, 5, 5)));

    List<ReaderPartition> partitions = stored().getGroups().get(0).getPartitions();
    assertThat(partitions.get(0).getLastCommitAt()).isEqualTo(T0.plusSeconds(30));
    assertThat(partitions.get(1).getLastCommitAt()).isEqualTo(T0);
  }

  @Test
  void shouldJudgeAGroupAgainstTheSubscriptionsAsTheyAreWhenTheObservationArrives() {
    subscriptions.pipeInput(
        subscriptionKey(ENROLLMENTS, "pharmacovigilance"),
        subscription(ENROLLMENTS, "pharmacovigilance", SubscriptionState.REVOKED, 2_000));
    notifications.readRecordsToList();

    readers.pipeInput(ENROLLMENTS, observation(T0, group("pharmacovigilance.signals", 0, 3, 10)));

    assertThat(stored().getGroups().get(0).getStanding()).isEqualTo(ReaderStanding.UNSUBSCRIBED);
    assertThat(notifications.readValuesToList())
        .extracting(Notification::getType)
        .containsExactly(NotificationType.UNSUBSCRIBED_READER);
  }

  private ReaderObservation stored() {
    KeyValueStore<String, ReaderObservation> store =
        driver.getKeyValueStore(CatalogStores.READERS_STORE);
    return store.get(ENROLLMENTS);
  }

  /** One group with one partition; several with the same id merge into one group. */
  private static ObservedGroup group(String id, int partition, long committed, long end) {
    return ObservedGroup.newBuilder()
        .setGroupId(id)
        .setPartitions(
            List.of(
                ReaderPartition.newBuilder()
                    .setPartition(partition)
                    .setCommittedOffset(committed)
                    .setEndOffset(end)
                    .build()))
        .build();
  }

  private static ReaderObservation observation(Instant at, ObservedGroup... groups) {
    var merged = new java.util.LinkedHashMap<String, ObservedGroup>();
    for (ObservedGroup g : groups) {
      merged.merge(
          g.getGroupId(),
          g,
          (a, b) -> {
            var all = new java.util.ArrayList<>(a.getPartitions());
            all.addAll(b.getPartitions());
            return ObservedGroup.newBuilder(a).setPartitions(all).build();
          });
    }
    return ReaderObservation.newBuilder()
        .setProductId(ENROLLMENTS)
        .setTopic(ENROLLMENTS)
        .setObservedAt(at)
        .setGroups(List.copyOf(merged.values()))
        .build();
  }
}
