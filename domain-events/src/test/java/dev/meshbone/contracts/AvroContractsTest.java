package dev.meshbone.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AvroContractsTest {
  private static final String ORDER =
      "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";

  @Test
  void shouldIgnoreWhitespaceAndAttributeOrderInTheCanonicalText() {
    String shuffled =
        "{ \"fields\": [ { \"type\": \"string\", \"name\": \"id\" } ], \"name\": \"Order\","
            + " \"type\": \"record\" }";

    assertThat(AvroContracts.parse(shuffled).canonical())
        .isEqualTo(AvroContracts.parse(ORDER).canonical());
  }

  @Test
  void shouldKeepDefaultsAndAliasesInTheCanonicalText() {
    String withDefault =
        "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"id\",\"type\":\"string\","
            + "\"default\":\"x\",\"aliases\":[\"key\"]}]}";

    assertThat(AvroContracts.parse(withDefault).canonical())
        .contains("\"default\":\"x\"")
        .contains("\"aliases\":[\"key\"]");
  }

  @Test
  void shouldMakeRulesPartOfTheIdentityButNotTheirKeyOrder() {
    String canonical = AvroContracts.parse(ORDER).canonical();
    String plain = AvroContracts.identity(canonical, List.of(), null, null);
    String ruled = AvroContracts.identity(canonical, List.of(), null, "{\"a\":1,\"b\":2}");
    String reordered = AvroContracts.identity(canonical, List.of(), null, "{\"b\":2, \"a\":1}");

    assertThat(ruled).isNotEqualTo(plain).isEqualTo(reordered);
  }

  @Test
  void shouldRefuseInvalidSchemasWithTheReason() {
    assertThatThrownBy(() -> AvroContracts.parse("{\"type\":\"nope\"}"))
        .isInstanceOf(InvalidContractException.class)
        .hasMessageContaining("Invalid schema")
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> AvroContracts.parse("  ")).hasMessageContaining("Empty schema");
    assertThatThrownBy(() -> AvroContracts.parse("[".repeat(100_000)))
        .isInstanceOf(InvalidContractException.class);
  }

  @Test
  void shouldAcceptOnlyJsonObjectsAsMetadataAndRuleSets() {
    AvroContracts.requireJsonObject(
        "ruleSet", "{\"domainRules\":[]}", RegistryErrors.INVALID_RULESET);
    AvroContracts.requireJsonObject("ruleSet", null, RegistryErrors.INVALID_RULESET);
    assertThatThrownBy(
            () ->
                AvroContracts.requireJsonObject("ruleSet", "\"x\"", RegistryErrors.INVALID_RULESET))
        .hasMessageContaining("must be a JSON object");
  }

  @Test
  void shouldTakeAMeshRuleWithoutAFailureActionAsTheRuleWithNone() {
    String canonical = AvroContracts.parse("\"string\"").canonical();
    String rule = "{\"name\":\"r\",\"type\":\"MESH\",\"params\":{\"field\":\"x\",\"min\":\"1\"}";

    String without =
        AvroContracts.identity(canonical, List.of(), null, "{\"domainRules\":[" + rule + "}]}");
    String none =
        AvroContracts.identity(
            canonical, List.of(), null, "{\"domainRules\":[" + rule + ",\"onFailure\":\"NONE\"}]}");
    String error =
        AvroContracts.identity(
            canonical,
            List.of(),
            null,
            "{\"domainRules\":[" + rule + ",\"onFailure\":\"ERROR\"}]}");

    assertThat(without).isEqualTo(none);
    assertThat(error).isNotEqualTo(none);
  }
}
