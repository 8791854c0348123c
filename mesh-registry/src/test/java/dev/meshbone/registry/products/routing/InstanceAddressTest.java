package dev.meshbone.registry.products.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class InstanceAddressTest {
  @Test
  void shouldAdvertiseLocalhostAndTheConfiguredPortByDefault() {
    var address = new InstanceAddress((String) null, null, 8081);

    assertThat(address.self()).isEqualTo(new HostInfo("localhost", 8081));
    assertThat(address.serverPort()).isEqualTo(8081);
    assertThat(address.portChosenHere()).isFalse();
  }

  @Test
  void shouldAdvertiseTheHostAndPortOfTheAdvertisedUrl() {
    var address = new InstanceAddress("http://registry-1.registry:9000", null, 8081);

    assertThat(address.applicationServer()).isEqualTo("registry-1.registry:9000");
    assertThat(address.baseUrl(address.self())).isEqualTo("http://registry-1.registry:9000");
  }

  @Test
  void shouldTakeKafkaStreamsOwnApplicationServerWhenADeploymentSetsIt() {
    var address = new InstanceAddress((String) null, "10.0.0.7:8081", 8081);

    assertThat(address.self()).isEqualTo(new HostInfo("10.0.0.7", 8081));
  }

  @Test
  void shouldRefuseAnAdvertisedUrlThatContradictsTheApplicationServer() {
    assertThatThrownBy(() -> new InstanceAddress("http://a:8081", "b:8081", 8081))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("set one of them");
  }

  @Test
  void shouldChooseAFreePortWhenTheConfiguredOneIsRandom() {
    var address = new InstanceAddress((String) null, null, -1);

    assertThat(address.portChosenHere()).isTrue();
    assertThat(address.serverPort()).isPositive();
    assertThat(address.self().port()).isEqualTo(address.serverPort());
  }
}
