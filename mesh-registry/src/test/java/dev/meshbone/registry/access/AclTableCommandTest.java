package dev.meshbone.registry.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AclTableCommandTest {

  @Test
  void shouldPrintEveryDomainAndServiceRowAsMarkdown() {
    String table = AclTableCommand.run();

    assertThat(table)
        .startsWith("| principal | when |")
        .contains("| `User:<domain>` | every domain | topic | `<domain>.mesh.product-events` |")
        .contains("`User:meshbone.contract-validator` (contract-validator)")
        .contains("`User:meshbone.mesh-registry` (mesh-registry) | always | cluster |");
  }

  @Test
  void shouldPrintTheMappedPrincipalAndTheApplicationIdsGiven() {
    String table =
        AclTableCommand.run(
            "--principal", "User:svc-{domain}", "--application-id", "quality-monitor=qm-7");

    assertThat(table).contains("`User:svc-<domain>`").contains("`qm-7-`").contains("`qm-7`");
  }

  @Test
  void shouldPrintTheServicesAsStrimziKafkaUsers() {
    String yaml = AclTableCommand.run("--format", "strimzi", "--topic-creation", "operator");

    assertThat(yaml)
        .contains(
            "apiVersion: kafka.strimzi.io/v1\nkind: KafkaUser\nmetadata:\n  name: meshbone.contract-validator")
        .contains("type: scram-sha-512")
        .contains("operations: [Read, Write, Create, DescribeConfigs]")
        .contains("name: \"*\"");
  }

  @Test
  void shouldRefuseBadOptionsSayingWhy() {
    assertThatThrownBy(() -> AclTableCommand.run("--format", "json"))
        .hasMessageContaining("markdown or strimzi");
    assertThatThrownBy(() -> AclTableCommand.run("--application-id", "nobody=x"))
        .hasMessageContaining("SERVICE one of");
    assertThatThrownBy(() -> AclTableCommand.run("--principal", "User:fixed"))
        .hasMessageContaining("{domain}");
  }
}
