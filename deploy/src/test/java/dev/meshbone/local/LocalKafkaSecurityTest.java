package dev.meshbone.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaSecurityTest {

  @Test
  void shouldSecureBothListenersAndMakeNoAnonymousSuperUser() {
    var config = LocalKafkaSecurity.generate().brokerConfig(19092, 19093);

    assertThat(config)
        .containsEntry(
            "listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT")
        .containsEntry("listener.name.client.sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN")
        .containsEntry("listener.name.controller.sasl.enabled.mechanisms", "PLAIN")
        .containsEntry(
            "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
        .containsEntry("allow.everyone.if.no.acl.found", "false")
        .containsEntry("super.users", "User:meshbone_super;User:admin");
    assertThat(config.get("listeners"))
        .isEqualTo("CLIENT://localhost:19092,CONTROLLER://localhost:19093");
  }

  @Test
  void shouldLogEachServiceInAsItselfAndTellTheReconcilerTheDomains(@TempDir Path dir)
      throws Exception {
    Path users = dir.resolve("users.properties");
    Files.writeString(users, "clinical-trials=ct-password\nsupply-chain=sc-password\n");
    var credentials = LocalCredentials.prepare(dir, users, List.of("clinical-trials"));
    var security = LocalKafkaSecurity.generate();

    var validator = security.serviceProperties("contract-validator", credentials);
    var registry = security.serviceProperties("mesh-registry", credentials);

    assertThat(validator)
        .containsEntry("kafka.security.protocol", "SASL_PLAINTEXT")
        .containsEntry("kafka.sasl.mechanism", "SCRAM-SHA-512")
        .doesNotContainKey("meshbone.access.enabled");
    assertThat((String) validator.get("kafka.sasl.jaas.config"))
        .contains("username=\"meshbone.contract-validator\"");
    assertThat(registry)
        .containsEntry("meshbone.access.enabled", true)
        .containsEntry("meshbone.access.domains", "clinical-trials,supply-chain");
    assertThat((String) registry.get("kafka.sasl.jaas.config"))
        .contains("username=\"meshbone.mesh-registry\"")
        .doesNotContain((String) validator.get("kafka.sasl.jaas.config"));
  }

  @Test
  void shouldQuoteJaasValuesAsTheJaasParserReadsThem() {
    assertThat(LocalKafkaSecurity.quote("pa\"ss\\word")).isEqualTo("\"pa\\\"ss\\\\word\"");
    assertThat(LocalKafkaSecurity.scramClient("clinical-trials", "p\"w"))
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"clinical-trials\" password=\"p\\\"w\";");
  }
}
