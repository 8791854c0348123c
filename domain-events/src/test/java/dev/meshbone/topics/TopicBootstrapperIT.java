package dev.meshbone.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

@WithKafka
class TopicBootstrapperIT {

  private static TopicSpec<String, String> spec(
      String name, CleanupPolicy cleanup, int partitions, boolean exact) {
    return new TopicSpec<>(
        name,
        partitions,
        exact,
        cleanup,
        cleanup == CleanupPolicy.DELETE ? Optional.of(Duration.ofHours(5)) : Optional.empty(),
        Serdes.String(),
        Serdes.String(),
        Map.of());
  }

  @Test
  void shouldCreateMissingTopicsWithTheirDeclaredConfigs(KafkaBroker broker) throws Exception {
    String compacted = KafkaBroker.unique("it.compacted");
    String deleted = KafkaBroker.unique("it.deleted");
    try (Admin admin = broker.admin()) {
      var bootstrapper = new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(30));

      var result =
          bootstrapper.ensure(
              List.of(
                  spec(compacted, CleanupPolicy.COMPACT, 3, false),
                  spec(deleted, CleanupPolicy.DELETE, 2, false)));

      assertThat(result.created()).containsExactlyInAnyOrder(compacted, deleted);
      // A new topic's metadata reaches every listener a moment after the create returns.
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                var description =
                    admin.describeTopics(List.of(compacted, deleted)).allTopicNames().get();
                assertThat(description.get(compacted).partitions()).hasSize(3);
                assertThat(description.get(deleted).partitions()).hasSize(2);
              });
      var configs =
          admin
              .describeConfigs(
                  List.of(
                      new ConfigResource(ConfigResource.Type.TOPIC, compacted),
                      new ConfigResource(ConfigResource.Type.TOPIC, deleted)))
              .all()
              .get();
      assertThat(
              configs
                  .get(new ConfigResource(ConfigResource.Type.TOPIC, compacted))
                  .get("cleanup.policy")
                  .value())
          .isEqualTo("compact");
      assertThat(
              configs
                  .get(new ConfigResource(ConfigResource.Type.TOPIC, deleted))
                  .get("retention.ms")
                  .value())
          .isEqualTo(Long.toString(Duration.ofHours(5).toMillis()));

      // A second run (another app starting) tolerates what exists.
      var again = bootstrapper.ensure(List.of(spec(compacted, CleanupPolicy.COMPACT, 3, false)));
      assertThat(again.created()).isEmpty();
      assertThat(again.warnings()).isEmpty();
    }
  }

  @Test
  void shouldCreateEveryMeshTopic(KafkaBroker broker) throws Exception {
    try (Admin admin = broker.admin()) {
      new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(30))
          .ensure(MeshTopics.defaults().all());
      // The controller has made them when ensure returns; the broker that answers a listing may
      // show them a moment later (KRaft's metadata propagation), so wait a bounded while.
      var names = MeshTopics.defaults().all().stream().map(TopicSpec::name).toList();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(admin.listTopics().names().get()).containsAll(names));
    }
  }

  @Test
  void shouldRefuseACompactedTopicThatExistsAsDelete(KafkaBroker broker) throws Exception {
    String name = KafkaBroker.unique("it.state");
    try (Admin admin = broker.admin()) {
      admin
          .createTopics(
              List.of(new NewTopic(name, 1, (short) 1).configs(Map.of("cleanup.policy", "delete"))))
          .all()
          .get();
      var bootstrapper = new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(30));

      assertThatThrownBy(
              () -> bootstrapper.ensure(List.of(spec(name, CleanupPolicy.COMPACT, 1, false))))
          .isInstanceOf(TopicContradictionException.class)
          .hasMessageContaining(name)
          .hasMessageContaining("cleanup.policy=delete")
          .hasMessageContaining("declares compact")
          .hasMessageContaining("kafka-configs");
    }
  }

  @Test
  void shouldRefuseAWrongPartitionCountOnlyWhereItMustBeExact(KafkaBroker broker) throws Exception {
    String loose = KafkaBroker.unique("it.loose");
    String exact = KafkaBroker.unique("it.exact");
    broker.createTopics(3, loose, exact);
    try (Admin admin = broker.admin()) {
      var bootstrapper = new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(30));

      var result = bootstrapper.ensure(List.of(spec(loose, CleanupPolicy.DELETE, 6, false)));
      assertThat(result.warnings())
          .anyMatch(w -> w.contains("has 3 partitions but meshbone declares 6"));

      assertThatThrownBy(
              () -> bootstrapper.ensure(List.of(spec(exact, CleanupPolicy.DELETE, 1, true))))
          .isInstanceOf(TopicContradictionException.class)
          .hasMessageContaining("must have exactly 1");
    }
  }
}
