package dev.meshbone.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class DataRulesTest {
  private static final Schema ORDER =
      new Schema.Parser()
          .parse(
              """
              {"type":"record","name":"Order","namespace":"sales","fields":[
                {"name":"amount","type":"double"},
                {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID"]}},
                {"name":"customer","type":["null",{"type":"record","name":"Customer","fields":[
                  {"name":"email","type":["null","string"]}]}]},
                {"name":"lines","type":{"type":"array","items":{"type":"record","name":"Line",
                  "fields":[{"name":"qty","type":"int"}]}}}
              ]}
              """);

  private static String rule(String params) {
    return "{\"domainRules\":[{\"name\":\"r\",\"kind\":\"CONDITION\",\"mode\":\"WRITE\","
        + "\"type\":\"MESH\",\"params\":{"
        + params
        + "}}]}";
  }

  @Test
  void shouldParseTheMeshRulesOfARuleSet() {
    DataRules rules =
        DataRules.parse(
            """
            {"domainRules":[
              {"name":"amount-range","kind":"CONDITION","mode":"WRITE","type":"MESH",
               "params":{"field":"order.amount","min":"0","max":"10000"}},
              {"name":"currency","type":"MESH",
               "params":{"field":"currency","required":"true","allowed":"EUR, USD"}},
              {"name":"cel","kind":"CONDITION","mode":"WRITE","type":"CEL","expr":"true"}
            ]}
            """);

    assertThat(rules.rules()).hasSize(2);
    DataRule range = rules.rules().get(0);
    assertThat(range.name()).isEqualTo("amount-range");
    assertThat(range.path()).containsExactly("order", "amount");
    assertThat(range.min()).contains(BigDecimal.ZERO);
    assertThat(range.max()).contains(new BigDecimal("10000"));
    assertThat(rules.rules().get(1).allowed()).containsExactly("EUR", "USD");
    assertThat(rules.rules().get(1).required()).isTrue();
    assertThat(rules.ignored()).containsExactly("cel (CEL)");
  }

  @Test
  void shouldHaveNoRulesForAnEmptyRuleSet() {
    assertThat(DataRules.parse(null).isEmpty()).isTrue();
    assertThat(DataRules.parse(" ").isEmpty()).isTrue();
    assertThat(DataRules.parse("{}").isEmpty()).isTrue();
  }

  @Test
  void shouldReadAllowedValuesGivenAsAJsonArray() {
    var rules = DataRules.parse(rule("\"field\":\"a\",\"allowed\":\"[\\\"x,y\\\",\\\"z\\\"]\""));
    assertThat(rules.rules().get(0).allowed()).containsExactly("x,y", "z");
  }

  @Test
  void shouldRefuseMalformedJson() {
    assertThatThrownBy(() -> DataRules.parse("{\"domainRules\":["))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageStartingWith("ruleSet is not valid JSON");
  }

  @Test
  void shouldRefuseARuleWithoutAField() {
    assertThatThrownBy(() -> DataRules.parse(rule("\"min\":\"1\"")))
        .hasMessageContaining("rule \"r\" has no field param");
  }

  @Test
  void shouldRefuseARuleWithoutAConstraint() {
    assertThatThrownBy(() -> DataRules.parse(rule("\"field\":\"a\"")))
        .hasMessageContaining("has no constraint");
  }

  @Test
  void shouldRefuseAnUnknownParam() {
    assertThatThrownBy(() -> DataRules.parse(rule("\"field\":\"a\",\"maximum\":\"3\"")))
        .hasMessageContaining("unknown param maximum");
  }

  @Test
  void shouldRefuseAParamThatIsNotAString() {
    assertThatThrownBy(() -> DataRules.parse(rule("\"field\":\"a\",\"min\":1")))
        .hasMessageContaining("param min must be a JSON string");
  }

  @Test
  void shouldRefuseABadNumber() {
    assertThatThrownBy(() -> DataRules.parse(rule("\"field\":\"a\",\"min\":\"ten\"")))
        .hasMessageContaining("min \"ten\" is not a decimal number");
  }

  @Test
  void shouldRefuseMinAboveMax() {
    assertThatThrownBy(() -> DataRules.parse(rule("\"field\":\"a\",\"min\":\"5\",\"max\":\"1\"")))
        .hasMessageContaining("min 5 is above max 1");
  }

  @Test
  void shouldRefuseABadPattern() {
    assertThatThrownBy(() -> DataRules.parse(rule("\"field\":\"a\",\"pattern\":\"[a-\"")))
        .hasMessageContaining("pattern is not a valid regular expression");
  }

  @Test
  void shouldRefuseAMalformedPath() {
    assertThatThrownBy(() -> DataRules.parse(rule("\"field\":\"a..b\",\"required\":\"true\"")))
        .hasMessageContaining("is not a path of Avro field names");
  }

  @Test
  void shouldRefuseAModeThatIsNotAWrite() {
    assertThatThrownBy(
            () ->
                DataRules.parse(
                    "{\"domainRules\":[{\"name\":\"r\",\"type\":\"MESH\",\"mode\":\"READ\","
                        + "\"params\":{\"field\":\"a\",\"required\":\"true\"}}]}"))
        .hasMessageContaining("mode READ is not supported");
  }

  @Test
  void shouldRefuseDuplicateNames() {
    assertThatThrownBy(
            () ->
                DataRules.parse(
                    "{\"domainRules\":["
                        + "{\"name\":\"r\",\"type\":\"MESH\",\"params\":{\"field\":\"a\",\"required\":\"true\"}},"
                        + "{\"name\":\"r\",\"type\":\"MESH\",\"params\":{\"field\":\"b\",\"required\":\"true\"}}]}"))
        .hasMessageContaining("names must be unique");
  }

  @Test
  void shouldListEveryProblemAtOnce() {
    var e =
        (InvalidRuleException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> DataRules.parse(rule("\"field\":\"a\",\"min\":\"x\",\"maxLength\":\"-1\"")));
    assertThat(e.problems()).hasSize(2);
  }

  @Test
  void shouldRefuseAMeshRuleOutsideDomainRules() {
    assertThatThrownBy(
            () ->
                DataRules.parse(
                    "{\"migrationRules\":[{\"name\":\"m\",\"type\":\"MESH\",\"params\":{}}]}"))
        .hasMessageContaining("belong in domainRules");
  }

  @Test
  void shouldAcceptRulesThatFitTheSchema() {
    var rules =
        DataRules.parse(
            """
            {"domainRules":[
              {"name":"a","type":"MESH","params":{"field":"amount","min":"0"}},
              {"name":"s","type":"MESH","params":{"field":"status","allowed":"NEW"}},
              {"name":"e","type":"MESH","params":{"field":"customer.email","required":"true","pattern":".+@.+"}},
              {"name":"q","type":"MESH","params":{"field":"lines.qty","min":"1"}},
              {"name":"n","type":"MESH","params":{"field":"lines","maxLength":"100"}}
            ]}
            """);

    assertThat(rules.problemsWith(ORDER)).isEmpty();
  }

  @Test
  void shouldFindRulesOnFieldsTheSchemaLacks() {
    var rules = DataRules.parse(rule("\"field\":\"customer.phone\",\"required\":\"true\""));

    assertThatThrownBy(() -> rules.requireApplicableTo(ORDER))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageContaining("record sales.Customer has no field phone (fields: email)");
  }

  @Test
  void shouldFindAConstraintThatDoesNotFitTheType() {
    var rules = DataRules.parse(rule("\"field\":\"amount\",\"pattern\":\"[0-9]+\""));

    assertThat(rules.problemsWith(ORDER))
        .containsExactly("rule \"r\" on amount: pattern applies to strings and enums, not double");
  }

  @Test
  void shouldFindAnAllowedSymbolTheEnumLacks() {
    var rules = DataRules.parse(rule("\"field\":\"status\",\"allowed\":\"NEW,SHIPPED\""));

    assertThat(rules.problemsWith(ORDER)).hasSize(1);
    assertThat(rules.problemsWith(ORDER).get(0)).contains("\"SHIPPED\" can never occur");
  }

  @Test
  void shouldGiveMeshRulesWithoutAFailureActionOneConfluentClientsSkip() {
    String ruleSet =
        "{\"domainRules\":[{\"name\":\"a\",\"type\":\"MESH\",\"params\":{\"field\":\"x\",\"min\":\"0\"}},"
            + "{\"name\":\"b\",\"type\":\"MESH\",\"onFailure\":\"ERROR\",\"params\":{\"field\":\"x\",\"max\":\"9\"}},"
            + "{\"name\":\"c\",\"type\":\"CEL\",\"expr\":\"true\"}]}";

    String served = DataRules.withClientFailureActions(ruleSet);

    assertThat(served)
        .isEqualTo(
            "{\"domainRules\":[{\"name\":\"a\",\"type\":\"MESH\",\"params\":{\"field\":\"x\",\"min\":\"0\"},"
                + "\"onFailure\":\"NONE\"},"
                + "{\"name\":\"b\",\"type\":\"MESH\",\"onFailure\":\"ERROR\",\"params\":{\"field\":\"x\",\"max\":\"9\"}},"
                + "{\"name\":\"c\",\"type\":\"CEL\",\"expr\":\"true\"}]}");
    assertThat(DataRules.parse(served).rules()).hasSize(2); // the validator still checks both
    assertThat(DataRules.withClientFailureActions(served)).isEqualTo(served);
    assertThat(DataRules.withClientFailureActions(null)).isNull();
    assertThat(DataRules.withClientFailureActions("not json")).isEqualTo("not json");
    assertThat(DataRules.withClientFailureActions("{\"migrationRules\":[]}"))
        .isEqualTo("{\"migrationRules\":[]}");
  }
}
