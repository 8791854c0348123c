package dev.meshbone.registry.products.history;

import static dev.meshbone.registry.products.Events.accepted;
import static dev.meshbone.registry.products.Events.created;
import static dev.meshbone.registry.products.Events.deprecated;
import static dev.meshbone.registry.products.Events.descriptor;
import static dev.meshbone.registry.products.Events.event;
import static dev.meshbone.registry.products.Events.subscription;
import static dev.meshbone.registry.products.Events.subscriptionKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.events.ChangeType;
import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.ProductChange;
import dev.meshbone.events.ProductChangeKind;
import dev.meshbone.events.Subscription;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.registry.RegistryStreamsApp;
import dev.meshbone.registry.products.RegistrySettings;
import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.catalog.HistoryCheckpoint;
import dev.meshbone.registry.products.catalog.ProductHistory;
import dev.meshbone.runtime.KafkaSettings;
import dev.meshbone.runtime.MeshSettings;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.TopicSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each product's history as the catalog processor keeps it, and the product folded as of a time.
 */
class ProductHistoryTest {
  private static final String ENROLLMENTS = "clinical-trials.enrollments";
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private final MeshTopics topics = MeshTopics.defaults();
  private TopologyTestDriver driver;
  private TestInputTopic<String, DataProductEvent> products;
  private TestInputTopic<String, Subscription> subscriptions;
  private TestInputTopic<String, ContractDecision> decisions;

  @TempDir Path stateDir;

  @BeforeEach
  void start() {
    start(RegistrySettings.DEFAULTS);
  }

  private void start(RegistrySettings settings) {
    if (driver != null) {
      driver.close();
    }
    var app = new RegistryStreamsApp(topics, settings);
    var props =
        MeshStreams.streamsConfig(
            app,
            new KafkaSettings(Map.of("bootstrap.servers", "unused:9092")),
            MeshSettings.DEFAULTS.withStateDir(stateDir));
    driver = new TopologyTestDriver(app.topology(), props);
    products = input(topics.products);
    subscriptions = input(topics.subscriptions);
    decisions = input(topics.contractDecisions);
  }

  @AfterEach
  void close() {
    driver.close();
  }

  private <V> TestInputTopic<String, V> input(TopicSpec<String, V> spec) {
    return driver.createInputTopic(
        spec.name(), spec.keySerde().serializer(), spec.valueSerde().serializer());
  }

  private List<ProductChange> history() {
    KeyValueStore<String, ProductChange> store =
        driver.getKeyValueStore(CatalogStores.HISTORY_STORE);
    List<ProductChange> changes = new ArrayList<>();
    try (var it = store.range(ProductHistory.from(ENROLLMENTS), ProductHistory.to(ENROLLMENTS))) {
      it.forEachRemaining(kv -> changes.add(kv.value));
    }
    return changes;
  }

  private void givenADescriptorChangeADeprecationAndANewContractVersion() {
    products.pipeInput(ENROLLMENTS, created(ENROLLMENTS, descriptor("Enrollments").build()), T0);
    products.pipeInput(
        ENROLLMENTS,
        event(
            ENROLLMENTS,
            ChangeType.UPDATED,
            LifecycleStatus.ACTIVE,
            2,
            descriptor("Trial enrollments").build()),
        T0.plusSeconds(60));
    subscriptions.pipeInput(
        subscriptionKey(ENROLLMENTS, "pharmacovigilance"),
        subscription(ENROLLMENTS, "pharmacovigilance", SubscriptionState.APPROVED, 2_000),
        T0.plusSeconds(90));
    decisions.pipeInput("r1", accepted(ENROLLMENTS + "-value", 2, 11), T0.plusSeconds(120));
    products.pipeInput(
        ENROLLMENTS,
        deprecated(
            ENROLLMENTS,
            3,
            descriptor("Trial enrollments").build(),
            Instant.parse("2027-03-01T00:00:00Z")),
        T0.plusSeconds(180));
  }

  @Test
  void shouldKeepEveryChangeInOrderWithItsFieldsBeforeAndAfter() {
    givenADescriptorChangeADeprecationAndANewContractVersion();

    List<ProductChange> changes = history();

    assertThat(changes)
        .extracting(ProductChange::getSeq, ProductChange::getKind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, ProductChangeKind.LIFECYCLE),
            org.assertj.core.groups.Tuple.tuple(2L, ProductChangeKind.DESCRIPTOR),
            org.assertj.core.groups.Tuple.tuple(3L, ProductChangeKind.SUBSCRIPTION),
            org.assertj.core.groups.Tuple.tuple(4L, ProductChangeKind.CONTRACT_VERSION),
            org.assertj.core.groups.Tuple.tuple(5L, ProductChangeKind.LIFECYCLE));
    var rename = changes.get(1).getChanges().get(0);
    assertThat(rename.getField()).isEqualTo("descriptor.name");
    assertThat(rename.getBefore()).isEqualTo("Enrollments");
    assertThat(rename.getAfter()).isEqualTo("Trial enrollments");
    assertThat(changes.get(1).getActor()).isEqualTo("clinical-trials");
    assertThat(changes.get(1).getAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(changes.get(1).getTopic()).isEqualTo(topics.products.name());
    assertThat(changes.get(1).getOffset()).isEqualTo(1L);
    assertThat(changes.get(4).getChanges().get(0).getAfter()).isEqualTo("DEPRECATED");
  }

  @Test
  void shouldFoldTheProductAsItWasAtAnInstant() {
    givenADescriptorChangeADeprecationAndANewContractVersion();
    List<ProductChange> changes = history();

    var beforeRename = HistoryQueries.fold(ENROLLMENTS, T0.plusSeconds(30), upTo(changes, 30));
    var afterVersion = HistoryQueries.fold(ENROLLMENTS, T0.plusSeconds(150), upTo(changes, 150));
    var now = HistoryQueries.fold(ENROLLMENTS, T0.plusSeconds(999), changes);
    var beforeCreation = HistoryQueries.fold(ENROLLMENTS, T0.minusSeconds(1), List.of());

    assertThat(beforeRename.descriptor().name()).isEqualTo("Enrollments");
    assertThat(beforeRename.contractVersion()).isNull();
    assertThat(beforeRename.subscriberCount()).isZero();
    assertThat(afterVersion.descriptor().name()).isEqualTo("Trial enrollments");
    assertThat(afterVersion.lifecycle().status()).isEqualTo("ACTIVE");
    assertThat(afterVersion.contractVersion()).isEqualTo(2);
    assertThat(afterVersion.subscriberCount()).isEqualTo(1);
    assertThat(now.lifecycle().status()).isEqualTo("DEPRECATED");
    assertThat(beforeCreation).isNull();
  }

  @Test
  void shouldKeepTheLastChangesAndFoldTheOlderOnesIntoABaselineWhenBounded() {
    var config = new dev.meshbone.registry.products.RegistryConfig();
    config.setHistoryMaxChanges(2);
    start(config.toSettings());
    givenADescriptorChangeADeprecationAndANewContractVersion();

    List<ProductChange> kept = history();

    // The baseline (seq 0) stands for changes 1-3; 4 and 5 are kept as they were.
    assertThat(kept).extracting(ProductChange::getSeq).containsExactly(0L, 4L, 5L);
    assertThat(kept.get(0).getAt()).isEqualTo(T0.plusSeconds(90));
    // Read from the baseline on, the product is what the whole history says it is.
    var afterVersion = HistoryQueries.fold(ENROLLMENTS, T0.plusSeconds(150), upTo(kept, 150));
    assertThat(afterVersion.descriptor().name()).isEqualTo("Trial enrollments");
    assertThat(afterVersion.contractVersion()).isEqualTo(2);
    assertThat(afterVersion.subscriberCount()).isEqualTo(1);
    var now = HistoryQueries.fold(ENROLLMENTS, T0.plusSeconds(999), kept);
    assertThat(now.lifecycle().status()).isEqualTo("DEPRECATED");
    assertThat(now.subscriberCount()).isEqualTo(1);
    // Before the baseline there is nothing left to answer from.
    assertThat(HistoryQueries.fold(ENROLLMENTS, T0.plusSeconds(30), upTo(kept, 30))).isNull();
  }

  @Test
  void shouldAnswerAsOfFromCheckpointsExactlyAsAReplayOfEveryChangeWould() {
    // Bounded to 540 changes: by the 1,051st, changes 1-511 are in the baseline and the checkpoint
    // at 500 went with them; the one at 1,000 stands. Reads before the baseline find nothing.
    var config = new dev.meshbone.registry.products.RegistryConfig();
    config.setHistoryMaxChanges(540);
    start(config.toSettings());
    products.pipeInput(ENROLLMENTS, created(ENROLLMENTS, descriptor("Enrollments").build()), T0);
    // 1,050 subscription changes, a second apart: seven consumers, each flipping its state.
    for (int i = 1; i <= 1_050; i++) {
      String consumer = "consumer-" + (i % 7);
      subscriptions.pipeInput(
          subscriptionKey(ENROLLMENTS, consumer),
          subscription(
              ENROLLMENTS,
              consumer,
              i % 2 == 0 ? SubscriptionState.APPROVED : SubscriptionState.REQUESTED,
              2_000),
          T0.plusSeconds(i));
    }
    List<ProductChange> all = history();
    assertThat(all.get(0).getSeq()).isEqualTo(ProductHistory.BASELINE_SEQ);
    assertThat(all.get(1).getSeq()).isEqualTo(512);
    KeyValueStore<String, ProductChange> store =
        driver.getKeyValueStore(CatalogStores.HISTORY_STORE);
    KeyValueStore<String, HistoryCheckpoint> checkpoints =
        driver.getKeyValueStore(CatalogStores.HISTORY_CHECKPOINT_STORE);
    assertThat(checkpoints.get(ProductHistory.key(ENROLLMENTS, 500))).isNull();
    assertThat(checkpoints.get(ProductHistory.key(ENROLLMENTS, 1_000))).isNotNull();

    for (long s : List.of(-1L, 250L, 510L, 511L, 512L, 777L, 998L, 999L, 1_000L, 1_040L, 5_000L)) {
      Instant at = T0.plusSeconds(s);
      assertThat(HistoryQueries.replay(store, checkpoints, ENROLLMENTS, at))
          .as("as of T0 + %d s", s)
          .isEqualTo(HistoryQueries.fold(ENROLLMENTS, at, upTo(all, s)));
    }
  }

  private static List<ProductChange> upTo(List<ProductChange> changes, long seconds) {
    return changes.stream().filter(c -> !c.getAt().isAfter(T0.plusSeconds(seconds))).toList();
  }
}
