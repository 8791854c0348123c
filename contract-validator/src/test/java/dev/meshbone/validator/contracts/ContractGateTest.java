package dev.meshbone.validator.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.events.Compatibility;
import dev.meshbone.events.ConsumerReadSet;
import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.DecisionOutcome;
import dev.meshbone.events.FieldBreak;
import dev.meshbone.events.ProposalType;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer field gate in the validator's real topology: a version that breaks a field an
 * APPROVED consumer declared (the read sets the registry attaches to the proposal) is refused with
 * 409 whatever the subject's level, unless the proposal overrides; Confluent's own refusals come
 * first and stay as they are.
 */
class ContractGateTest {
  private static final String SUBJECT = "clinical-trials.enrollments-value";
  private static final String PRODUCT = "clinical-trials.enrollments";

  private static final String PATIENT = "{\"name\":\"patientId\",\"type\":\"string\"}";
  private static final String SITE = "{\"name\":\"site\",\"type\":\"string\",\"default\":\"\"}";
  private static final String ARM = "{\"name\":\"arm\",\"type\":\"string\",\"default\":\"\"}";

  private ContractsDriver contracts;

  @BeforeEach
  void startDriver() {
    contracts = new ContractsDriver();
  }

  @AfterEach
  void closeDriver() {
    contracts.close();
  }

  private static String enrollment(String... fields) {
    return "{\"type\":\"record\",\"name\":\"Enrollment\",\"namespace\":\"trials\",\"fields\":["
        + String.join(",", fields)
        + "]}";
  }

  private static ConsumerReadSet reads(String consumer, String... fields) {
    return ConsumerReadSet.newBuilder()
        .setProductId(PRODUCT)
        .setConsumerDomain(consumer)
        .setFields(List.of(fields))
        .build();
  }

  private ContractDecision register(String schema, boolean override, ConsumerReadSet... readSets) {
    var proposal = ContractsDriver.proposal(ProposalType.REGISTER, SUBJECT);
    proposal.setSchema$(schema);
    proposal.setReadSets(List.of(readSets));
    proposal.setOverrideBreaks(override);
    return contracts.propose(proposal);
  }

  private void givenVersionOneUnder(Compatibility level) {
    contracts.setConfig(SUBJECT, level, "clinical-trials");
    assertThat(register(enrollment(PATIENT, SITE, ARM), false).getOutcome())
        .isEqualTo(DecisionOutcome.ACCEPTED);
  }

  @Test
  void shouldRefuseUnderNoneAVersionThatRemovesADeclaredField() {
    givenVersionOneUnder(Compatibility.NONE);

    ContractDecision d =
        register(
            enrollment(SITE, ARM),
            false,
            reads("pharmacovigilance", "patientId", "site"),
            reads("finance", "arm"));

    assertThat(d.getOutcome()).isEqualTo(DecisionOutcome.REJECTED);
    assertThat(d.getErrorCode()).isEqualTo(409);
    assertThat(d.getMessage())
        .contains("pharmacovigilance reads patientId of " + PRODUCT + " (REMOVED")
        .contains("overrideBreaks=true")
        .doesNotContain("finance");
    assertThat(d.getReasons()).hasSize(1);
    assertThat(contracts.logRecords()).hasSize(2); // the level and version 1, nothing more
  }

  @Test
  void shouldRefuseUnderFullARemovalConfluentAllows() {
    givenVersionOneUnder(Compatibility.FULL);

    ContractDecision d =
        register(enrollment(PATIENT, ARM), false, reads("pharmacovigilance", "site"));

    assertThat(d.getErrorCode()).isEqualTo(409);
    assertThat(d.getMessage()).contains("pharmacovigilance reads site");
  }

  @Test
  void shouldAcceptUnderFullARemovalNobodyReads() {
    givenVersionOneUnder(Compatibility.FULL);

    ContractDecision d =
        register(enrollment(PATIENT, SITE), false, reads("pharmacovigilance", "patientId", "site"));

    assertThat(d.getOutcome()).isEqualTo(DecisionOutcome.ACCEPTED);
    assertThat(d.getVersion()).isEqualTo(2);
    assertThat(d.getBreaks()).isEmpty();
  }

  @Test
  void shouldAnswerConfluentsRefusalFirst() {
    givenVersionOneUnder(Compatibility.BACKWARD);

    ContractDecision d =
        register(
            enrollment(PATIENT, SITE, ARM, "{\"name\":\"age\",\"type\":\"int\"}"),
            false,
            reads("pharmacovigilance", "patientId"));

    assertThat(d.getErrorCode()).isEqualTo(409);
    assertThat(d.getMessage()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");
  }

  @Test
  void shouldAcceptABreakingVersionWithTheOverrideAndRecordTheBreaks() {
    givenVersionOneUnder(Compatibility.NONE);

    ContractDecision d =
        register(
            enrollment("{\"name\":\"subjectId\",\"type\":\"string\"}", SITE, ARM),
            true,
            reads("pharmacovigilance", "patientId", "site"));

    assertThat(d.getOutcome()).isEqualTo(DecisionOutcome.ACCEPTED);
    assertThat(d.getBreaks())
        .extracting(FieldBreak::getConsumerDomain, FieldBreak::getField, FieldBreak::getKind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "pharmacovigilance", "patientId", "RENAMED_WITHOUT_ALIAS"));
  }

  @Test
  void shouldAnswerARetryOfARefusedRequestTheSame() {
    givenVersionOneUnder(Compatibility.NONE);
    var proposal = ContractsDriver.proposal(ProposalType.REGISTER, SUBJECT);
    proposal.setSchema$(enrollment(SITE));
    proposal.setReadSets(List.of(reads("pharmacovigilance", "patientId")));

    ContractDecision first = contracts.propose(proposal);
    ContractDecision again = contracts.propose(proposal);

    assertThat(again).isEqualTo(first);
  }
}
