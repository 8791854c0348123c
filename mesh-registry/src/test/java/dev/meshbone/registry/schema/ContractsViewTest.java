package dev.meshbone.registry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.registry.RegistryStreamsApp;
import dev.meshbone.topics.MeshTopics;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class ContractsViewTest {
  @Test
  void shouldReadOnlyCommittedContractsIntoTheGlobalStore() {
    var props = new Properties();
    props.putAll(new RegistryStreamsApp(MeshTopics.defaults()).streamsDefaults());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "registry");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");

    var config = new StreamsConfig(props);

    // The validator writes mesh.contracts in transactions; an aborted write must never be served.
    assertThat(config.getGlobalConsumerConfigs("c").get(ConsumerConfig.ISOLATION_LEVEL_CONFIG))
        .isEqualTo("read_committed");
    assertThat(
            config.getMainConsumerConfigs("g", "c", 0).get(ConsumerConfig.ISOLATION_LEVEL_CONFIG))
        .isEqualTo("read_committed");
  }
}
