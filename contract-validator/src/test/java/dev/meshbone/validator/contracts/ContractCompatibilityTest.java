package dev.meshbone.validator.contracts;

import static dev.meshbone.validator.contracts.ContractsDriver.assertAccepted;
import static dev.meshbone.validator.contracts.ContractsDriver.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.contracts.RegistryErrors;
import dev.meshbone.events.Compatibility;
import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.DecisionOutcome;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compatibility as the validator decides it, level by level, on the schema changes that matter:
 * every row registers a first version under a subject with the given level, then a second, and
 * expects the second accepted or refused as Confluent Schema Registry would.
 */
class ContractCompatibilityTest {
  private static final String SUBJECT = "sales.orders-value";
  private ContractsDriver contracts;

  @BeforeEach
  void startDriver() {
    contracts = new ContractsDriver();
  }

  @AfterEach
  void closeDriver() {
    contracts.close();
  }

  static String record(String fields) {
    return "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"sales\",\"fields\":["
        + fields
        + "]}";
  }

  static final String ID = "{\"name\":\"id\",\"type\":\"string\"}";
  static final String BASE = record(ID + ",{\"name\":\"amount\",\"type\":\"int\"}");
  static final String ADD_WITH_DEFAULT =
      record(
          ID
              + ",{\"name\":\"amount\",\"type\":\"int\"},{\"name\":\"note\",\"type\":\"string\",\"default\":\"\"}");
  static final String ADD_WITHOUT_DEFAULT =
      record(
          ID + ",{\"name\":\"amount\",\"type\":\"int\"},{\"name\":\"note\",\"type\":\"string\"}");
  static final String REMOVED = record(ID);
  static final String BASE_WITH_DEFAULT =
      record(ID + ",{\"name\":\"amount\",\"type\":\"int\",\"default\":0}");
  static final String AS_LONG = record(ID + ",{\"name\":\"amount\",\"type\":\"long\"}");
  static final String ENUM_AB =
      record(
          ID
              + ",{\"name\":\"status\",\"type\":{\"type\":\"enum\",\"name\":\"Status\",\"symbols\":[\"A\",\"B\"]}}");
  static final String ENUM_ABC =
      record(
          ID
              + ",{\"name\":\"status\",\"type\":{\"type\":\"enum\",\"name\":\"Status\",\"symbols\":[\"A\",\"B\",\"C\"]}}");
  static final String ENUM_ABC_WITH_DEFAULT =
      record(
          ID
              + ",{\"name\":\"status\",\"type\":{\"type\":\"enum\",\"name\":\"Status\",\"symbols\":[\"A\",\"B\",\"C\"],\"default\":\"A\"}}");
  static final String ENUM_AB_WITH_DEFAULT =
      record(
          ID
              + ",{\"name\":\"status\",\"type\":{\"type\":\"enum\",\"name\":\"Status\",\"symbols\":[\"A\",\"B\"],\"default\":\"A\"}}");
  static final String UNION_NARROW =
      record(ID + ",{\"name\":\"v\",\"type\":[\"null\",\"string\"],\"default\":null}");
  static final String UNION_WIDE =
      record(ID + ",{\"name\":\"v\",\"type\":[\"null\",\"string\",\"int\"],\"default\":null}");
  static final String RENAMED_WITH_ALIAS =
      record(ID + ",{\"name\":\"total\",\"type\":\"int\",\"aliases\":[\"amount\"]}");
  static final String RENAMED = record(ID + ",{\"name\":\"total\",\"type\":\"int\"}");
  static final String RECORD_RENAMED_WITH_ALIAS =
      "{\"type\":\"record\",\"name\":\"Purchase\",\"namespace\":\"sales\",\"aliases\":[\"sales.Order\"],\"fields\":["
          + ID
          + ",{\"name\":\"amount\",\"type\":\"int\"}]}";
  static final String RECORD_RENAMED =
      "{\"type\":\"record\",\"name\":\"Purchase\",\"namespace\":\"sales\",\"fields\":["
          + ID
          + ",{\"name\":\"amount\",\"type\":\"int\"}]}";
  static final String NESTED =
      record(
          ID
              + ",{\"name\":\"customer\",\"type\":{\"type\":\"record\",\"name\":\"Customer\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"}]}}");
  static final String NESTED_ADD_WITHOUT_DEFAULT =
      record(
          ID
              + ",{\"name\":\"customer\",\"type\":{\"type\":\"record\",\"name\":\"Customer\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"email\",\"type\":\"string\"}]}}");
  static final String NESTED_ADD_WITH_DEFAULT =
      record(
          ID
              + ",{\"name\":\"customer\",\"type\":{\"type\":\"record\",\"name\":\"Customer\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"email\",\"type\":\"string\",\"default\":\"\"}]}}");
  static final String TYPE_CHANGED = record(ID + ",{\"name\":\"amount\",\"type\":\"string\"}");

  /** level, first version, second version, accepted?, the error type when refused. */
  static Stream<Arguments> changes() {
    return Stream.of(
        // add a field with a default: fine every way
        row("BACKWARD", BASE, ADD_WITH_DEFAULT, true, null),
        row("FORWARD", BASE, ADD_WITH_DEFAULT, true, null),
        row("FULL", BASE, ADD_WITH_DEFAULT, true, null),
        // add a field without a default: new readers cannot read old data
        row("BACKWARD", BASE, ADD_WITHOUT_DEFAULT, false, "READER_FIELD_MISSING_DEFAULT_VALUE"),
        row("FORWARD", BASE, ADD_WITHOUT_DEFAULT, true, null),
        row("FULL", BASE, ADD_WITHOUT_DEFAULT, false, "READER_FIELD_MISSING_DEFAULT_VALUE"),
        row("NONE", BASE, ADD_WITHOUT_DEFAULT, true, null),
        // remove a field: old readers miss it unless it had a default
        row("BACKWARD", BASE, REMOVED, true, null),
        row("FORWARD", BASE, REMOVED, false, "READER_FIELD_MISSING_DEFAULT_VALUE"),
        row("FULL", BASE, REMOVED, false, "READER_FIELD_MISSING_DEFAULT_VALUE"),
        row("FORWARD", BASE_WITH_DEFAULT, REMOVED, true, null),
        row("FULL", BASE_WITH_DEFAULT, REMOVED, true, null),
        // int to long is a promotion; long to int is not
        row("BACKWARD", BASE, AS_LONG, true, null),
        row("FORWARD", BASE, AS_LONG, false, "TYPE_MISMATCH"),
        row("FULL", BASE, AS_LONG, false, "TYPE_MISMATCH"),
        row("BACKWARD", AS_LONG, BASE, false, "TYPE_MISMATCH"),
        row("FORWARD", AS_LONG, BASE, true, null),
        // enum symbols: old readers miss new ones (unless the enum has a default)
        row("BACKWARD", ENUM_AB, ENUM_ABC, true, null),
        row("FORWARD", ENUM_AB, ENUM_ABC, false, "MISSING_ENUM_SYMBOLS"),
        row("FULL", ENUM_AB, ENUM_ABC, false, "MISSING_ENUM_SYMBOLS"),
        row("FORWARD", ENUM_AB_WITH_DEFAULT, ENUM_ABC_WITH_DEFAULT, true, null),
        row("BACKWARD", ENUM_ABC, ENUM_AB, false, "MISSING_ENUM_SYMBOLS"),
        row("FORWARD", ENUM_ABC, ENUM_AB, true, null),
        // unions: widened is readable by the new reader only, narrowed by the old only
        row("BACKWARD", UNION_NARROW, UNION_WIDE, true, null),
        row("FORWARD", UNION_NARROW, UNION_WIDE, false, "MISSING_UNION_BRANCH"),
        row("FULL", UNION_NARROW, UNION_WIDE, false, "MISSING_UNION_BRANCH"),
        row("BACKWARD", UNION_WIDE, UNION_NARROW, false, "MISSING_UNION_BRANCH"),
        row("FORWARD", UNION_WIDE, UNION_NARROW, true, null),
        // renames: an alias lets the new reader find the old field or record
        row("BACKWARD", BASE, RENAMED_WITH_ALIAS, true, null),
        row("BACKWARD", BASE, RENAMED, false, "READER_FIELD_MISSING_DEFAULT_VALUE"),
        row("FORWARD", BASE, RENAMED_WITH_ALIAS, false, "READER_FIELD_MISSING_DEFAULT_VALUE"),
        row("BACKWARD", BASE, RECORD_RENAMED_WITH_ALIAS, true, null),
        row("BACKWARD", BASE, RECORD_RENAMED, false, "NAME_MISMATCH"),
        // nested records are checked field by field
        row("BACKWARD", NESTED, NESTED_ADD_WITH_DEFAULT, true, null),
        row(
            "BACKWARD",
            NESTED,
            NESTED_ADD_WITHOUT_DEFAULT,
            false,
            "READER_FIELD_MISSING_DEFAULT_VALUE"),
        row("FORWARD", NESTED, NESTED_ADD_WITHOUT_DEFAULT, true, null),
        // NONE checks nothing
        row("NONE", BASE, TYPE_CHANGED, true, null),
        row("BACKWARD", BASE, TYPE_CHANGED, false, "TYPE_MISMATCH"),
        row("BACKWARD_TRANSITIVE", BASE, TYPE_CHANGED, false, "TYPE_MISMATCH"));
  }

  private static Arguments row(
      String level, String first, String second, boolean accepted, String errorType) {
    return Arguments.of(Compatibility.valueOf(level), first, second, accepted, errorType);
  }

  @ParameterizedTest(name = "[{index}] {0} accepted={3} {4}")
  @MethodSource("changes")
  void shouldDecideTheSecondVersionAsConfluentWould(
      Compatibility level, String first, String second, boolean accepted, String errorType) {
    contracts.setConfig(SUBJECT, level, "sales");
    assertAccepted(contracts.register(SUBJECT, first));

    ContractDecision decision = contracts.register(SUBJECT, second);

    if (accepted) {
      assertAccepted(decision);
      assertThat(decision.getVersion()).isEqualTo(2);
    } else {
      assertRejected(decision, RegistryErrors.INCOMPATIBLE_SCHEMA, "errorType:'" + errorType + "'");
    }
  }

  @Test
  void shouldSayWhatBrokeAndWhereAsConfluentDoes() {
    contracts.register(SUBJECT, BASE);

    ContractDecision decision = contracts.register(SUBJECT, ADD_WITHOUT_DEFAULT);

    assertThat(decision.getMessage())
        .startsWith(
            "Schema being registered is incompatible with an earlier schema for subject"
                + " \"sales.orders-value\", details: [")
        .contains(
            "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'note' at"
                + " path '/fields/2' in the new schema has no default value and is missing in the"
                + " old schema', additionalInfo:'note'}");
    assertThat(decision.getReasons())
        .contains("{oldSchemaVersion: 1}")
        .contains("{oldSchema: '" + ContractsDriver.canonical(BASE) + "'}")
        .last()
        .isEqualTo("{validateFields: 'false', compatibility: 'BACKWARD'}");
  }

  @Test
  void shouldSayWhereANestedFieldBroke() {
    contracts.register(SUBJECT, NESTED);

    ContractDecision decision = contracts.register(SUBJECT, NESTED_ADD_WITHOUT_DEFAULT);

    assertThat(decision.getMessage()).contains("at path '/fields/1/type/fields/1'");
  }

  @Test
  void shouldUseTheGlobalLevelWhenTheSubjectHasNone() {
    contracts.setConfig(null, Compatibility.FORWARD, "mesh");
    contracts.register(SUBJECT, BASE);

    assertAccepted(contracts.register(SUBJECT, ADD_WITHOUT_DEFAULT));
  }

  @Test
  void shouldPreferTheSubjectLevelOverTheGlobalOne() {
    contracts.setConfig(null, Compatibility.NONE, "mesh");
    contracts.setConfig(SUBJECT, Compatibility.BACKWARD, "sales");
    contracts.register(SUBJECT, BASE);

    assertThat(contracts.register(SUBJECT, TYPE_CHANGED).getOutcome())
        .isEqualTo(DecisionOutcome.REJECTED);
  }

  @Test
  void shouldCheckOnlyTheLatestVersionUnderANonTransitiveLevel() {
    contracts.register(SUBJECT, transitiveV1());
    contracts.register(SUBJECT, transitiveV2());

    assertAccepted(contracts.register(SUBJECT, transitiveV3()));
  }

  @Test
  void shouldFindTheOlderConflictUnderBackwardTransitive() {
    contracts.setConfig(SUBJECT, Compatibility.BACKWARD_TRANSITIVE, "sales");
    contracts.register(SUBJECT, transitiveV1());
    contracts.register(SUBJECT, transitiveV2());

    ContractDecision decision = contracts.register(SUBJECT, transitiveV3());

    assertRejected(decision, RegistryErrors.INCOMPATIBLE_SCHEMA, "TYPE_MISMATCH");
    assertThat(decision.getReasons()).contains("{oldSchemaVersion: 1}");
  }

  @Test
  void shouldFindTheOlderConflictUnderForwardTransitive() {
    contracts.setConfig(SUBJECT, Compatibility.FORWARD, "sales");
    contracts.register(SUBJECT, transitiveV1());
    contracts.register(SUBJECT, transitiveV2());
    contracts.setConfig(SUBJECT, Compatibility.FORWARD_TRANSITIVE, "sales");

    ContractDecision decision = contracts.register(SUBJECT, forwardTransitiveV3());

    assertRejected(decision, RegistryErrors.INCOMPATIBLE_SCHEMA, "TYPE_MISMATCH");
    assertThat(decision.getReasons()).contains("{oldSchemaVersion: 1}");
  }

  @Test
  void shouldAcceptUnderForwardWhatOnlyAnOlderVersionCannotRead() {
    contracts.setConfig(SUBJECT, Compatibility.FORWARD, "sales");
    contracts.register(SUBJECT, transitiveV1());
    contracts.register(SUBJECT, transitiveV2());

    assertAccepted(contracts.register(SUBJECT, forwardTransitiveV3()));
  }

  @Test
  void shouldFindTheOlderConflictUnderFullTransitive() {
    contracts.setConfig(SUBJECT, Compatibility.FULL_TRANSITIVE, "sales");
    contracts.register(SUBJECT, transitiveV1());
    contracts.register(SUBJECT, transitiveV2());

    assertRejected(
        contracts.register(SUBJECT, transitiveV3()),
        RegistryErrors.INCOMPATIBLE_SCHEMA,
        "TYPE_MISMATCH");
  }

  @Test
  void shouldAcceptUnderFullWhatOnlyAnOlderVersionConflictsWith() {
    contracts.setConfig(SUBJECT, Compatibility.FULL, "sales");
    contracts.register(SUBJECT, transitiveV1());
    contracts.register(SUBJECT, transitiveV2());

    assertAccepted(contracts.register(SUBJECT, transitiveV3()));
  }

  @Test
  void shouldIgnoreSoftDeletedVersionsInTransitiveChecks() {
    contracts.setConfig(SUBJECT, Compatibility.BACKWARD_TRANSITIVE, "sales");
    contracts.register(SUBJECT, transitiveV1());
    contracts.register(SUBJECT, transitiveV2());
    contracts.deleteVersion(SUBJECT, 1, false);

    assertAccepted(contracts.register(SUBJECT, transitiveV3()));
  }

  @Test
  void shouldCheckNothingForTheFirstVersion() {
    contracts.setConfig(SUBJECT, Compatibility.FULL_TRANSITIVE, "sales");

    assertAccepted(contracts.register(SUBJECT, BASE));
  }

  /** v1 has x:int (default 0). */
  private static String transitiveV1() {
    return record(ID + ",{\"name\":\"x\",\"type\":\"int\",\"default\":0}");
  }

  /** v2 drops x: compatible with v1 every way, since x had a default. */
  private static String transitiveV2() {
    return record(ID);
  }

  /** v3 brings x back as a string with a default: fine against v2, a type clash with v1. */
  private static String transitiveV3() {
    return record(ID + ",{\"name\":\"x\",\"type\":\"string\",\"default\":\"\"}");
  }

  /** Written with x as a string: v2 readers ignore it, v1 readers cannot read it as int. */
  private static String forwardTransitiveV3() {
    return record(ID + ",{\"name\":\"x\",\"type\":\"string\"}");
  }
}
