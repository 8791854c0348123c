package dev.meshbone.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.topics.TopicSpec;
import io.micronaut.context.ApplicationContext;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

class MeshStreamsConfigTest {
  private static final String MAIN_CONSUMER_INSTANCE_ID = "main.consumer.group.instance.id";

  private static final StreamsApp APP =
      new StreamsApp() {
        @Override
        public String name() {
          return "test-service";
        }

        @Override
        public String applicationId() {
          return "meshbone-test-service";
        }

        @Override
        public Topology topology() {
          return new Topology();
        }

        @Override
        public List<TopicSpec<?, ?>> topics() {
          return List.of();
        }
      };

  @Test
  void shouldMakeTheMainConsumersStaticMembersWhenTheInstanceHasAnId() {
    try (var context = ApplicationContext.run(Map.of("meshbone.instance-id", "registry-0"))) {
      var config =
          MeshStreams.streamsConfig(
              APP, new KafkaSettings(Map.of()), context.getBean(MeshSettings.class));

      // Streams adds the thread number to each main consumer's group.instance.id.
      assertThat(config).containsEntry(MAIN_CONSUMER_INSTANCE_ID, "registry-0");
      var streamsConfig = new StreamsConfig(config);
      assertThat(streamsConfig.getMainConsumerConfigs("g", "c", 2))
          .containsEntry("group.instance.id", "registry-0-2");
      assertThat(streamsConfig.getRestoreConsumerConfigs("c"))
          .doesNotContainKey("group.instance.id");
    }
  }

  @Test
  void shouldKeepDynamicMembershipWithoutAnInstanceId() {
    var config = MeshStreams.streamsConfig(APP, new KafkaSettings(Map.of()), MeshSettings.DEFAULTS);

    assertThat(config.keySet()).noneMatch(key -> key.toString().contains("group.instance.id"));
  }

  @Test
  void shouldLetKafkaStreamsSettingsOverrideTheInstanceId() {
    var d = MeshSettings.DEFAULTS;
    var settings =
        new MeshSettings(
            d.replicationFactor(), d.partitions(), d.stateDir(), d.startupTimeout(), true, "local");
    var config =
        MeshStreams.streamsConfig(
            APP,
            new KafkaSettings(Map.of("streams." + MAIN_CONSUMER_INSTANCE_ID, "pod-7")),
            settings);

    assertThat(config).containsEntry(MAIN_CONSUMER_INSTANCE_ID, "pod-7");
  }
}
