package dev.meshbone.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.orders.Order;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class ContractTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldWriteRulesAsConfluentDomainRulesOfTypeMesh() throws Exception {
    Contract contract =
        Contract.of(Order.class)
            .withRules(
                ContractRule.named("positive").field("amountCents").min(1).max(1_000_000),
                ContractRule.named("currency").field("currency").required().allowed("EUR", "USD"),
                ContractRule.named("id-shape").field("id").pattern("o-[0-9]+").maxLength(20));

    JsonNode rules = JSON.readTree(contract.ruleSet()).get("domainRules");

    assertThat(rules).hasSize(3);
    assertThat(rules.get(0).toString())
        .isEqualTo(
            "{\"name\":\"positive\",\"kind\":\"CONDITION\",\"mode\":\"WRITE\",\"type\":\"MESH\","
                + "\"params\":{\"field\":\"amountCents\",\"min\":\"1\",\"max\":\"1000000\"}}");
    assertThat(rules.get(1).at("/params/required").asText()).isEqualTo("true");
    assertThat(rules.get(1).at("/params/allowed").asText()).isEqualTo("EUR,USD");
    assertThat(rules.get(2).at("/params/maxLength").asText()).isEqualTo("20");
  }

  @Test
  void shouldListAllowedValuesHoldingACommaAsAJsonArray() {
    ContractRule rule = ContractRule.named("city").field("city").allowed("Paris, FR", "Berlin");

    assertThat(rule.params().get("allowed")).isEqualTo("[\"Paris, FR\",\"Berlin\"]");
  }

  @Test
  void shouldRefuseARuleThatChecksNothingOrNamesNoField() {
    assertThatThrownBy(
            () -> Contract.of(Order.class).withRules(ContractRule.named("x").field("id")))
        .hasMessageContaining("checks nothing");
    assertThatThrownBy(() -> Contract.of(Order.class).withRules(ContractRule.named("x").min(1)))
        .hasMessageContaining("needs a field");
    assertThatThrownBy(
            () ->
                Contract.of(Order.class)
                    .withRules(
                        ContractRule.named("x").field("id").required(),
                        ContractRule.named("x").field("currency").required()))
        .hasMessageContaining("two contract rules are named 'x'");
  }

  @Test
  void shouldRegisterAGeneratedClassAsItsAvscWithoutJavaOnlyProperties() {
    Schema schema = Contract.of(Order.class).schema();

    assertThat(schema.toString()).doesNotContain("avro.java.string");
    assertThat(Contract.of(Order.class).ruleSet()).isNull();
  }

  @Test
  void shouldRefuseASchemaThatIsNotARecord() {
    assertThatThrownBy(() -> Contract.of(Schema.create(Schema.Type.STRING)))
        .hasMessageContaining("is an Avro record schema");
  }
}
