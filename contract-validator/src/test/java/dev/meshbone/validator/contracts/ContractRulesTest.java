package dev.meshbone.validator.contracts;

import static dev.meshbone.validator.contracts.ContractsDriver.assertAccepted;
import static dev.meshbone.validator.contracts.ContractsDriver.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.contracts.ContractKeys;
import dev.meshbone.contracts.RegistryErrors;
import dev.meshbone.events.ContractDecision;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Registration decides meshbone's data rules (Confluent domain rules of type MESH) against the
 * schema they come with: a rule that could never check a record is refused with 42201, naming the
 * rule and what is wrong, and nothing is written.
 */
class ContractRulesTest {
  static final String ORDER =
      "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"sales\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"},"
          + "{\"name\":\"amount\",\"type\":\"double\"}]}";
  static final String ORDER_WITHOUT_AMOUNT =
      "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"sales\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"}]}";

  private ContractsDriver contracts;

  @BeforeEach
  void startDriver() {
    contracts = new ContractsDriver();
  }

  @AfterEach
  void closeDriver() {
    contracts.close();
  }

  static String meshRule(String name, String params) {
    return "{\"domainRules\":[{\"name\":\""
        + name
        + "\",\"kind\":\"CONDITION\",\"mode\":\"WRITE\",\"type\":\"MESH\",\"params\":"
        + params
        + "}]}";
  }

  @Test
  void shouldAcceptMeshRulesThatFitTheSchema() {
    String rules = meshRule("amount-range", "{\"field\":\"amount\",\"min\":\"0\",\"max\":\"10\"}");

    ContractDecision decision = contracts.register("sales.orders-value", ORDER, null, rules);

    assertAccepted(decision);
    assertThat(
            contracts
                .entry(ContractKeys.version("sales.orders-value", 1))
                .getVersion()
                .getRuleSetJson())
        .isEqualTo(rules);
  }

  @Test
  void shouldRefuseARuleOnAFieldTheSchemaLacks() {
    String rules = meshRule("total-known", "{\"field\":\"total\",\"required\":\"true\"}");

    ContractDecision decision = contracts.register("sales.orders-value", ORDER, null, rules);

    assertRejected(decision, RegistryErrors.INVALID_SCHEMA, "rule \"total-known\" on total");
    assertThat(decision.getMessage()).contains("Invalid rule set for subject 'sales.orders-value'");
    assertThat(decision.getReasons()).hasSize(1);
  }

  @Test
  void shouldRefuseAMinOnAString() {
    String rules = meshRule("id-min", "{\"field\":\"id\",\"min\":\"1\"}");

    ContractDecision decision = contracts.register("sales.orders-value", ORDER, null, rules);

    assertRejected(decision, RegistryErrors.INVALID_SCHEMA, "rule \"id-min\" on id");
  }

  @Test
  void shouldRefuseAPatternThatIsNotARegularExpression() {
    String rules = meshRule("id-format", "{\"field\":\"id\",\"pattern\":\"ORD-[0-9\"}");

    ContractDecision decision = contracts.register("sales.orders-value", ORDER, null, rules);

    assertRejected(
        decision,
        RegistryErrors.INVALID_SCHEMA,
        "rule \"id-format\": pattern is not a valid regular expression");
  }

  @Test
  void shouldRefuseAnUnknownRuleKind() {
    String rules =
        "{\"domainRules\":[{\"name\":\"amount-fix\",\"kind\":\"TRANSFORM\",\"type\":\"MESH\","
            + "\"params\":{\"field\":\"amount\",\"min\":\"0\"}}]}";

    ContractDecision decision = contracts.register("sales.orders-value", ORDER, null, rules);

    assertRejected(decision, RegistryErrors.INVALID_SCHEMA, "rule \"amount-fix\": kind TRANSFORM");
  }

  @Test
  void shouldNameEveryProblemOfTheRuleSet() {
    String rules =
        "{\"domainRules\":["
            + "{\"name\":\"a\",\"type\":\"MESH\",\"params\":{\"field\":\"nope\",\"min\":\"0\"}},"
            + "{\"name\":\"b\",\"type\":\"MESH\",\"params\":{\"field\":\"id\",\"max\":\"9\"}}]}";

    ContractDecision decision = contracts.register("sales.orders-value", ORDER, null, rules);

    assertRejected(decision, RegistryErrors.INVALID_SCHEMA, "rule \"a\" on nope");
    assertThat(decision.getMessage()).contains("rule \"b\" on id");
    assertThat(decision.getReasons()).hasSize(2);
  }

  @Test
  void shouldWriteNothingForARefusedRuleSet() {
    contracts.drainLog();

    contracts.register(
        "sales.orders-value", ORDER, null, meshRule("x", "{\"field\":\"nope\",\"min\":\"0\"}"));

    assertThat(contracts.entries()).isEmpty();
  }

  @Test
  void shouldRefuseANewSchemaThatDropsAFieldItsInheritedRulesName() {
    contracts.register(
        "sales.orders-value",
        ORDER,
        null,
        meshRule("amount-range", "{\"field\":\"amount\",\"min\":\"0\"}"));

    ContractDecision decision = contracts.register("sales.orders-value", ORDER_WITHOUT_AMOUNT);

    assertRejected(
        decision, RegistryErrors.INVALID_SCHEMA, "the rule set inherited from version 1");
    assertThat(decision.getMessage()).contains("rule \"amount-range\" on amount");
  }

  @Test
  void shouldAnswerAnIncompatibleSchemaWith409BeforeItsInheritedRules() {
    contracts.register(
        "sales.orders-value",
        ORDER,
        null,
        meshRule("amount-range", "{\"field\":\"amount\",\"min\":\"0\"}"));

    ContractDecision decision =
        contracts.register(
            "sales.orders-value",
            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"sales\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"n\",\"type\":\"int\"}]}");

    assertRejected(
        decision, RegistryErrors.INCOMPATIBLE_SCHEMA, "READER_FIELD_MISSING_DEFAULT_VALUE");
  }

  @Test
  void shouldKeepRulesOfOtherTypesUnchecked() {
    String rules =
        "{\"domainRules\":[{\"name\":\"cel\",\"kind\":\"CONDITION\",\"type\":\"CEL\","
            + "\"expr\":\"message.whatever > 0\"}]}";

    ContractDecision decision = contracts.register("sales.orders-value", ORDER, null, rules);

    assertAccepted(decision);
  }
}
