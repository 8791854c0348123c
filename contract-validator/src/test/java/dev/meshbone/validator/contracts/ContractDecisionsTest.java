package dev.meshbone.validator.contracts;

import static dev.meshbone.validator.contracts.ContractsDriver.assertAccepted;
import static dev.meshbone.validator.contracts.ContractsDriver.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.contracts.ContractKeys;
import dev.meshbone.contracts.ProposalBatch;
import dev.meshbone.contracts.RegistryErrors;
import dev.meshbone.events.Compatibility;
import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.ContractEntry;
import dev.meshbone.events.DecisionOutcome;
import dev.meshbone.events.ProposalType;
import dev.meshbone.events.SchemaReference;
import dev.meshbone.serde.FramedList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract-decision section of the validator's real topology, driven by TopologyTestDriver:
 * ids, versions, ownership, the ingest alias, retries, deletes, configs and bad proposals. The
 * compatibility levels have their own test ({@link ContractCompatibilityTest}).
 */
class ContractDecisionsTest {
  static final String ORDER_V1 =
      "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"sales\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"}]}";
  static final String ORDER_V2 =
      "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"sales\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"},"
          + "{\"name\":\"note\",\"type\":\"string\",\"default\":\"\"}]}";
  static final String ORDER_V3 =
      "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"sales\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"},"
          + "{\"name\":\"note\",\"type\":\"string\",\"default\":\"\"},"
          + "{\"name\":\"channel\",\"type\":\"string\",\"default\":\"web\"}]}";
  // A Confluent CEL rule: kept verbatim, not meshbone's to check.
  static final String RULES =
      "{\"domainRules\":[{\"name\":\"positive\",\"kind\":\"CONDITION\",\"type\":\"CEL\",\"expr\":\"message.amount > 0\"}]}";

  private ContractsDriver contracts;

  @BeforeEach
  void startDriver() {
    contracts = new ContractsDriver();
  }

  @AfterEach
  void closeDriver() {
    contracts.close();
  }

  // ---- ids and versions ----

  @Test
  void shouldGiveTheFirstSchemaIdOneAndVersionOne() {
    ContractDecision decision = contracts.register("sales.orders-value", ORDER_V1);

    assertAccepted(decision);
    assertThat(decision.getSchemaId()).isEqualTo(1);
    assertThat(decision.getVersion()).isEqualTo(1);
    assertThat(decision.getSubject()).isEqualTo("sales.orders-value");
  }

  @Test
  void shouldWriteTheAcceptedVersionToTheContractLogInCanonicalForm() {
    contracts.register("sales.orders-value", "  " + ORDER_V1.replace(",", " ,  ") + "\n");

    ContractEntry entry = contracts.entry(ContractKeys.version("sales.orders-value", 1));
    assertThat(entry.getVersion().getSchemaId()).isEqualTo(1);
    assertThat(entry.getVersion().getSchema$()).isEqualTo(ContractsDriver.canonical(ORDER_V1));
    assertThat(entry.getVersion().getRegisteredBy()).isEqualTo("sales");
    assertThat(entry.getVersion().getDeleted()).isFalse();
  }

  @Test
  void shouldGiveTheSameIdToTheSameSchemaUnderAnotherSubject() {
    int first = contracts.register("sales.orders-value", ORDER_V1).getSchemaId();

    ContractDecision second = contracts.register("sales.returns-value", ORDER_V1);

    assertThat(second.getSchemaId()).isEqualTo(first);
    assertThat(second.getVersion()).isEqualTo(1);
  }

  @Test
  void shouldGiveTheSameIdToTheSameSchemaWrittenDifferently() {
    int first = contracts.register("sales.orders-value", ORDER_V1).getSchemaId();
    String reordered =
        "{ \"namespace\" : \"sales\", \"fields\" : [ {\"type\":\"string\", \"name\":\"id\"} ],"
            + " \"name\" : \"Order\", \"type\" : \"record\" }";

    assertThat(contracts.register("sales.returns-value", reordered).getSchemaId()).isEqualTo(first);
  }

  @Test
  void shouldAnswerARegisteredSchemaWithItsExistingVersionAndWriteNothing() {
    contracts.register("sales.orders-value", ORDER_V1);
    contracts.register("sales.orders-value", ORDER_V2);
    contracts.drainLog();

    ContractDecision again = contracts.register("sales.orders-value", ORDER_V1);

    assertAccepted(again);
    assertThat(again.getVersion()).isEqualTo(1);
    assertThat(again.getSchemaId()).isEqualTo(1);
    assertThat(contracts.entries().isEmpty()).isTrue();
  }

  @Test
  void shouldGiveANewSchemaANewIdAndTheNextVersion() {
    contracts.register("sales.orders-value", ORDER_V1);

    ContractDecision second = contracts.register("sales.orders-value", ORDER_V2);

    assertThat(second.getSchemaId()).isEqualTo(2);
    assertThat(second.getVersion()).isEqualTo(2);
  }

  @Test
  void shouldRefuseAnExplicitVersionThatIsNotTheNext() {
    contracts.register("sales.orders-value", ORDER_V1);
    var proposal = ContractsDriver.proposal(ProposalType.REGISTER, "sales.orders-value");
    proposal.setSchema$(ORDER_V2);
    proposal.setVersion(5);

    ContractDecision decision = contracts.propose(proposal);

    assertRejected(decision, RegistryErrors.INVALID_SCHEMA, "not one more than previous");
  }

  // ---- metadata and rule sets ----

  @Test
  void shouldKeepMetadataAndRuleSetVerbatim() {
    String metadata = "{\"properties\":{\"owner\":\"sales-team\"},\"tags\":{\"id\":[\"PII\"]}}";
    contracts.register("sales.orders-value", ORDER_V1, metadata, RULES);

    var version = contracts.entry(ContractKeys.version("sales.orders-value", 1)).getVersion();
    assertThat(version.getMetadataJson()).isEqualTo(metadata);
    assertThat(version.getRuleSetJson()).isEqualTo(RULES);
  }

  @Test
  void shouldMakeTheSameSchemaWithOtherRulesANewVersionWithANewId() {
    ContractDecision plain = contracts.register("sales.orders-value", ORDER_V1);

    ContractDecision ruled = contracts.register("sales.orders-value", ORDER_V1, null, RULES);

    assertAccepted(ruled);
    assertThat(ruled.getVersion()).isEqualTo(2);
    assertThat(ruled.getSchemaId()).isNotEqualTo(plain.getSchemaId());
  }

  @Test
  void shouldInheritMetadataAndRuleSetFromTheLatestVersion() {
    contracts.register("sales.orders-value", ORDER_V1, "{\"properties\":{\"owner\":\"x\"}}", RULES);

    contracts.register("sales.orders-value", ORDER_V2);

    var version = contracts.entry(ContractKeys.version("sales.orders-value", 2)).getVersion();
    assertThat(version.getRuleSetJson()).isEqualTo(RULES);
    assertThat(version.getMetadataJson()).isEqualTo("{\"properties\":{\"owner\":\"x\"}}");
  }

  @Test
  void shouldFindTheRuledVersionWhenTheSameSchemaIsRegisteredWithoutRules() {
    ContractDecision ruled = contracts.register("sales.orders-value", ORDER_V1, null, RULES);

    ContractDecision again = contracts.register("sales.orders-value", ORDER_V1);

    assertThat(again.getSchemaId()).isEqualTo(ruled.getSchemaId());
    assertThat(again.getVersion()).isEqualTo(1);
  }

  @Test
  void shouldRefuseARuleSetThatIsNotAJsonObject() {
    ContractDecision decision = contracts.register("sales.orders-value", ORDER_V1, null, "[1,2]");

    assertRejected(decision, RegistryErrors.INVALID_RULESET, "ruleSet must be a JSON object");
  }

  @Test
  void shouldRefuseMetadataThatIsNotJson() {
    ContractDecision decision = contracts.register("sales.orders-value", ORDER_V1, "{oops", null);

    assertRejected(decision, RegistryErrors.INVALID_SCHEMA, "metadata is not valid JSON");
  }

  @Test
  void shouldReRegisterTheLatestSchemaWhenOnlyRulesAreGiven() {
    contracts.register("sales.orders-value", ORDER_V1);

    ContractDecision decision = contracts.register("sales.orders-value", null, null, RULES);

    assertAccepted(decision);
    assertThat(decision.getVersion()).isEqualTo(2);
    var version = contracts.entry(ContractKeys.version("sales.orders-value", 2)).getVersion();
    assertThat(version.getSchema$()).isEqualTo(ContractsDriver.canonical(ORDER_V1));
    assertThat(version.getRuleSetJson()).isEqualTo(RULES);
  }

  // ---- invalid schemas ----

  @Test
  void shouldRefuseASchemaThatIsNotJson() {
    assertRejected(
        contracts.register("sales.orders-value", "not json {{{"),
        RegistryErrors.INVALID_SCHEMA,
        "Invalid schema");
  }

  @Test
  void shouldRefuseAnInvalidAvroSchema() {
    ContractDecision decision =
        contracts.register(
            "sales.orders-value",
            "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\"}]}");

    assertRejected(decision, RegistryErrors.INVALID_SCHEMA, "Invalid schema");
  }

  @Test
  void shouldRefuseADefaultOfTheWrongType() {
    ContractDecision decision =
        contracts.register(
            "sales.orders-value",
            "{\"type\":\"record\",\"name\":\"X\",\"fields\":"
                + "[{\"name\":\"a\",\"type\":\"int\",\"default\":\"one\"}]}");

    assertRejected(decision, RegistryErrors.INVALID_SCHEMA, "default");
  }

  @Test
  void shouldRefuseAnEmptySchemaForANewSubject() {
    assertRejected(
        contracts.register("sales.orders-value", ""),
        RegistryErrors.INVALID_SCHEMA,
        "Empty schema");
  }

  @Test
  void shouldRefuseSchemaTypesOtherThanAvro() {
    var proposal = ContractsDriver.proposal(ProposalType.REGISTER, "sales.orders-value");
    proposal.setSchema$("syntax = \"proto3\"; message A { string a = 1; }");
    proposal.setSchemaType("PROTOBUF");

    assertRejected(contracts.propose(proposal), RegistryErrors.INVALID_SCHEMA, "AVRO schemas only");
  }

  // ---- ownership and subject names ----

  @Test
  void shouldRefuseADomainRegisteringUnderAnotherDomainsSubject() {
    var proposal = ContractsDriver.proposal(ProposalType.REGISTER, "sales.orders-value");
    proposal.setSchema$(ORDER_V1);
    proposal.setActingDomain("marketing");

    ContractDecision decision = contracts.propose(proposal);

    assertRejected(decision, RegistryErrors.FORBIDDEN, "belongs to domain 'sales'");
    assertThat(contracts.entries().isEmpty()).isTrue();
  }

  @Test
  void shouldRefuseAProposalWithoutActingDomain() {
    var proposal = ContractsDriver.proposal(ProposalType.REGISTER, "sales.orders-value");
    proposal.setSchema$(ORDER_V1);
    proposal.setActingDomain(null);

    assertRejected(contracts.propose(proposal), RegistryErrors.FORBIDDEN, "names no acting domain");
  }

  @Test
  void shouldRefuseASubjectThatDoesNotStartWithADomain() {
    var proposal = ContractsDriver.proposal(ProposalType.REGISTER, "orders-value");
    proposal.setSchema$(ORDER_V1);
    proposal.setActingDomain("sales");

    assertRejected(
        contracts.propose(proposal), RegistryErrors.INVALID_SUBJECT, "does not belong to a domain");
  }

  @Test
  void shouldRefuseASubjectOfAReservedDomain() {
    var proposal = ContractsDriver.proposal(ProposalType.REGISTER, "mesh.contracts-value");
    proposal.setSchema$(ORDER_V1);
    proposal.setActingDomain("mesh");

    assertRejected(contracts.propose(proposal), RegistryErrors.INVALID_SUBJECT, "reserved");
  }

  // ---- the ingest alias ----

  @Test
  void shouldRegisterTheIngestAliasUnderTheCanonicalSubject() {
    ContractDecision decision = contracts.register("sales.orders.ingest-value", ORDER_V1);

    assertThat(decision.getSubject()).isEqualTo("sales.orders-value");
    assertThat(contracts.entries())
        .extracting(kv -> kv.key)
        .containsExactly("version:sales.orders-value:1");
  }

  @Test
  void shouldAnswerTheAliasWithTheVersionRegisteredUnderTheCanonicalSubject() {
    contracts.register("sales.orders-value", ORDER_V1);
    contracts.drainLog();

    ContractDecision viaAlias = contracts.register("sales.orders.ingest-value", ORDER_V1);

    assertThat(viaAlias.getVersion()).isEqualTo(1);
    assertThat(viaAlias.getSchemaId()).isEqualTo(1);
    assertThat(contracts.entries().isEmpty()).isTrue();
  }

  @Test
  void shouldAliasTheKeySubjectToo() {
    assertThat(contracts.register("sales.orders.ingest-key", "\"string\"").getSubject())
        .isEqualTo("sales.orders-key");
  }

  // ---- retries and bad proposals ----

  @Test
  void shouldAnswerARetriedRequestWithTheSameDecisionAndWriteNothing() {
    var proposal = ContractsDriver.proposal(ProposalType.REGISTER, "sales.orders-value");
    proposal.setSchema$(ORDER_V1);
    ContractDecision first = contracts.propose(proposal);
    contracts.register("sales.orders-value", ORDER_V2);
    contracts.drainLog();

    ContractDecision retry = contracts.propose(proposal);

    assertThat(retry).isEqualTo(first);
    assertThat(contracts.entries().isEmpty()).isTrue();
  }

  @Test
  void shouldAnswerARetriedRejectionWithTheSameRejection() {
    var proposal = ContractsDriver.proposal(ProposalType.REGISTER, "sales.orders-value");
    proposal.setSchema$("nope");
    ContractDecision first = contracts.propose(proposal);

    assertThat(contracts.propose(proposal)).isEqualTo(first);
  }

  @Test
  void shouldSkipGarbageAndDecideTheNextProposal() {
    contracts.pipeRaw(new byte[] {0x13, 0x37, 0x00, 0x7f});
    contracts.pipeRaw(new byte[] {(byte) 0xC3, 0x01, 1, 2, 3});
    contracts.pipeRaw((byte[]) null);

    ContractDecision decision = contracts.register("sales.orders-value", ORDER_V1);

    assertAccepted(decision);
    assertThat(decision.getSchemaId()).isEqualTo(1);
  }

  // ---- batches (the registry's bulk onboarding) ----

  @Test
  void shouldDecideEachProposalOfABatchInOrderAsIfSentOneByOne() {
    var first = ContractsDriver.proposal(ProposalType.REGISTER, "sales.orders-value");
    first.setSchema$(ORDER_V1);
    var second = ContractsDriver.proposal(ProposalType.REGISTER, "sales.orders-value");
    second.setSchema$(ORDER_V2);
    var other = ContractsDriver.proposal(ProposalType.REGISTER, "sales.returns-value");
    other.setSchema$(ORDER_V1);
    var foreign = ContractsDriver.proposal(ProposalType.REGISTER, "sales.refunds-value");
    foreign.setSchema$(ORDER_V3).setActingDomain("billing");

    List<ContractDecision> decisions =
        contracts.proposeBatch(
            List.of(first.build(), second.build(), other.build(), foreign.build()));

    assertThat(decisions)
        .extracting(ContractDecision::getRequestId)
        .containsExactly(
            first.getRequestId(),
            second.getRequestId(),
            other.getRequestId(),
            foreign.getRequestId());
    assertAccepted(decisions.get(0));
    assertThat(decisions.get(0).getSchemaId()).isEqualTo(1);
    assertThat(decisions.get(0).getVersion()).isEqualTo(1);
    assertThat(decisions.get(1).getSchemaId()).isEqualTo(2);
    assertThat(decisions.get(1).getVersion()).isEqualTo(2);
    assertThat(decisions.get(2).getSchemaId()).isEqualTo(1);
    assertThat(decisions.get(3).getOutcome()).isEqualTo(DecisionOutcome.REJECTED);
    // The batch's effects are the state of the next proposal, sent alone.
    assertThat(contracts.register("sales.orders-value", ORDER_V3).getVersion()).isEqualTo(3);
  }

  @Test
  void shouldAnswerAProposalRepeatedInALaterBatchWithItsFirstDecision() {
    var proposal = ContractsDriver.proposal(ProposalType.REGISTER, "sales.orders-value");
    proposal.setSchema$(ORDER_V1);
    ContractDecision first = contracts.propose(proposal);
    var next = ContractsDriver.proposal(ProposalType.REGISTER, "sales.returns-value");
    next.setSchema$(ORDER_V2);

    List<ContractDecision> decisions =
        contracts.proposeBatch(List.of(proposal.build(), next.build()));

    assertThat(decisions.get(0)).isEqualTo(first);
    assertThat(decisions.get(1).getSchemaId()).isEqualTo(2);
  }

  @Test
  void shouldSkipABatchThatDoesNotDecodeAndDecideTheNextProposal() {
    var headers = new RecordHeaders();
    headers.add(ProposalBatch.HEADER, ProposalBatch.VERSION);
    contracts.pipeRaw(new byte[] {0, 0, 0, 2, 0, 0, 0, 9, 1}, headers);
    var unknown = new RecordHeaders();
    unknown.add(ProposalBatch.HEADER, new byte[] {'9'});
    contracts.pipeRaw(FramedList.encode(List.of(new byte[] {1})), unknown);

    assertThat(contracts.noDecisions()).isTrue();
    assertThat(contracts.register("sales.orders-value", ORDER_V1).getSchemaId()).isEqualTo(1);
  }

  @Test
  void shouldSkipAProposalWithoutRequestId() {
    var proposal = ContractsDriver.proposal(ProposalType.REGISTER, "sales.orders-value");
    proposal.setSchema$(ORDER_V1);
    proposal.setRequestId("");
    contracts.pipe(proposal);

    assertThat(contracts.noDecisions()).isTrue();
    assertThat(contracts.entries().isEmpty()).isTrue();
  }

  @Test
  void shouldRefuseAProposalOfUnknownType() {
    ContractDecision decision =
        contracts.propose(ContractsDriver.proposal(ProposalType.UNKNOWN, "sales.orders-value"));

    assertRejected(decision, RegistryErrors.OPERATION_NOT_PERMITTED, "unknown proposal type");
  }

  @Test
  void shouldRefuseAReferenceToASubjectThatDoesNotExist() {
    var proposal = ContractsDriver.proposal(ProposalType.REGISTER, "sales.orders-value");
    proposal.setSchema$(
        "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"c\",\"type\":\"sales.Customer\"}]}");
    proposal.setReferences(
        List.of(new SchemaReference("sales.Customer", "sales.customers-value", 1)));

    assertRejected(contracts.propose(proposal), RegistryErrors.INVALID_SCHEMA, "does not exist");
  }

  @Test
  void shouldResolveAReferenceToAnotherSubject() {
    contracts.register(
        "sales.customers-value",
        "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"sales\",\"fields\":[{\"name\":\"n\",\"type\":\"string\"}]}");
    var proposal = ContractsDriver.proposal(ProposalType.REGISTER, "sales.orders-value");
    proposal.setSchema$(
        "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"sales\",\"fields\":[{\"name\":\"c\",\"type\":\"sales.Customer\"}]}");
    proposal.setReferences(
        List.of(new SchemaReference("sales.Customer", "sales.customers-value", -1)));

    ContractDecision decision = contracts.propose(proposal);

    assertAccepted(decision);
    var version = contracts.entry(ContractKeys.version("sales.orders-value", 1)).getVersion();
    assertThat(version.getReferences()).extracting(SchemaReference::getVersion).containsExactly(1);
    assertThat(version.getSchema$()).contains("\"type\":\"Customer\"").doesNotContain("\"n\"");
  }

  // ---- compatibility configs ----

  @Test
  void shouldWriteASubjectLevelToTheLog() {
    ContractDecision decision =
        contracts.setConfig("sales.orders-value", Compatibility.FULL, "sales");

    assertAccepted(decision);
    assertThat(decision.getCompatibility()).isEqualTo(Compatibility.FULL);
    ContractEntry entry = contracts.entry("config:sales.orders-value");
    assertThat(entry.getConfig().getCompatibility()).isEqualTo(Compatibility.FULL);
    assertThat(entry.getConfig().getSubject()).isEqualTo("sales.orders-value");
  }

  @Test
  void shouldLetOnlyThePlatformSetTheGlobalLevel() {
    assertRejected(
        contracts.setConfig(null, Compatibility.NONE, "sales"), RegistryErrors.FORBIDDEN, "global");

    ContractDecision decision = contracts.setConfig(null, Compatibility.NONE, "mesh");

    assertAccepted(decision);
    assertThat(contracts.entry("config:").getConfig().getSubject()).isNull();
  }

  @Test
  void shouldRefuseALevelForAnotherDomainsSubject() {
    assertRejected(
        contracts.setConfig("sales.orders-value", Compatibility.NONE, "marketing"),
        RegistryErrors.FORBIDDEN,
        "belongs to domain 'sales'");
  }

  @Test
  void shouldRefuseAConfigProposalWithoutLevel() {
    assertRejected(
        contracts.setConfig("sales.orders-value", null, "sales"),
        RegistryErrors.INVALID_COMPATIBILITY_LEVEL,
        "Invalid compatibility level");
  }

  @Test
  void shouldDeleteASubjectLevelWithATombstoneAndAnswerTheOldLevel() {
    contracts.setConfig("sales.orders-value", Compatibility.FORWARD, "sales");
    contracts.drainLog();

    ContractDecision decision =
        contracts.propose(
            ContractsDriver.proposal(ProposalType.DELETE_CONFIG, "sales.orders-value"));

    assertAccepted(decision);
    assertThat(decision.getCompatibility()).isEqualTo(Compatibility.FORWARD);
    assertThat(contracts.entries())
        .containsExactly(KeyValue.pair("config:sales.orders-value", null));
  }

  @Test
  void shouldRefuseDeletingALevelThatIsNotSet() {
    assertRejected(
        contracts.propose(
            ContractsDriver.proposal(ProposalType.DELETE_CONFIG, "sales.orders-value")),
        RegistryErrors.SUBJECT_NOT_FOUND,
        "not found");
  }

  @Test
  void shouldResetTheGlobalLevel() {
    contracts.setConfig(null, Compatibility.NONE, "mesh");
    var reset = ContractsDriver.proposal(ProposalType.DELETE_CONFIG, null);
    reset.setActingDomain("mesh");

    ContractDecision decision = contracts.propose(reset);

    assertThat(decision.getCompatibility()).isEqualTo(Compatibility.NONE);
    assertThat(contracts.register("sales.orders-value", ORDER_V1).getOutcome())
        .isEqualTo(DecisionOutcome.ACCEPTED);
    assertRejected(
        contracts.register("sales.orders-value", "\"int\""),
        RegistryErrors.INCOMPATIBLE_SCHEMA,
        "BACKWARD");
  }

  // ---- deletes ----

  @Test
  void shouldSoftDeleteASubjectByMarkingEachVersionDeleted() {
    contracts.register("sales.orders-value", ORDER_V1);
    contracts.register("sales.orders-value", ORDER_V2);
    contracts.drainLog();

    ContractDecision decision = contracts.deleteSubject("sales.orders-value", false);

    assertAccepted(decision);
    assertThat(decision.getDeletedVersions()).containsExactly(1, 2);
    assertThat(contracts.entries())
        .hasSize(2)
        .allSatisfy(kv -> assertThat(kv.value.getVersion().getDeleted()).isTrue());
  }

  @Test
  void shouldDropTheSubjectLevelWithASoftDeletedSubject() {
    contracts.setConfig("sales.orders-value", Compatibility.NONE, "sales");
    contracts.register("sales.orders-value", ORDER_V1);
    contracts.drainLog();

    contracts.deleteSubject("sales.orders-value", false);

    assertThat(contracts.entries()).contains(KeyValue.pair("config:sales.orders-value", null));
  }

  @Test
  void shouldRefuseSoftDeletingASoftDeletedSubject() {
    contracts.register("sales.orders-value", ORDER_V1);
    contracts.deleteSubject("sales.orders-value", false);

    assertRejected(
        contracts.deleteSubject("sales.orders-value", false),
        RegistryErrors.SUBJECT_SOFT_DELETED,
        "was soft deleted");
  }

  @Test
  void shouldRefusePermanentlyDeletingALiveSubject() {
    contracts.register("sales.orders-value", ORDER_V1);

    assertRejected(
        contracts.deleteSubject("sales.orders-value", true),
        RegistryErrors.SUBJECT_NOT_SOFT_DELETED,
        "was not deleted first");
  }

  @Test
  void shouldRefuseDeletingAnUnknownSubject() {
    assertRejected(
        contracts.deleteSubject("sales.nothing-value", false),
        RegistryErrors.SUBJECT_NOT_FOUND,
        "not found");
  }

  @Test
  void shouldPermanentlyDeleteASoftDeletedSubjectWithTombstones() {
    contracts.register("sales.orders-value", ORDER_V1);
    contracts.register("sales.orders-value", ORDER_V2);
    contracts.deleteSubject("sales.orders-value", false);
    contracts.drainLog();

    ContractDecision decision = contracts.deleteSubject("sales.orders-value", true);

    assertThat(decision.getDeletedVersions()).containsExactly(1, 2);
    assertThat(contracts.entries())
        .containsExactly(
            KeyValue.pair("version:sales.orders-value:1", null),
            KeyValue.pair("version:sales.orders-value:2", null));
  }

  @Test
  void shouldContinueVersionNumbersAfterASoftDelete() {
    contracts.register("sales.orders-value", ORDER_V1);
    contracts.register("sales.orders-value", ORDER_V2);
    contracts.deleteSubject("sales.orders-value", false);

    ContractDecision decision = contracts.register("sales.orders-value", ORDER_V3);

    assertThat(decision.getVersion()).isEqualTo(3);
  }

  @Test
  void shouldRestartVersionsButKeepIdsAfterAPermanentDelete() {
    int id = contracts.register("sales.orders-value", ORDER_V1).getSchemaId();
    contracts.deleteSubject("sales.orders-value", false);
    contracts.deleteSubject("sales.orders-value", true);

    ContractDecision decision = contracts.register("sales.orders-value", ORDER_V1);

    assertThat(decision.getVersion()).isEqualTo(1);
    assertThat(decision.getSchemaId()).isEqualTo(id);
  }

  @Test
  void shouldGiveASoftDeletedSchemaANewVersionWithItsIdAndDropTheOldVersion() {
    contracts.register("sales.orders-value", ORDER_V1);
    contracts.register("sales.orders-value", ORDER_V2);
    contracts.deleteVersion("sales.orders-value", 1, false);
    contracts.drainLog();

    ContractDecision decision = contracts.register("sales.orders-value", ORDER_V1);

    assertThat(decision.getVersion()).isEqualTo(3);
    assertThat(decision.getSchemaId()).isEqualTo(1);
    assertThat(contracts.entries())
        .extracting(kv -> kv.key)
        .containsExactly("version:sales.orders-value:1", "version:sales.orders-value:3");
    assertThat(contracts.entries().get(0).value).isNull();
  }

  @Test
  void shouldSoftDeleteTheLatestVersion() {
    contracts.register("sales.orders-value", ORDER_V1);
    contracts.register("sales.orders-value", ORDER_V2);
    contracts.drainLog();

    ContractDecision decision = contracts.deleteVersion("sales.orders-value", -1, false);

    assertThat(decision.getVersion()).isEqualTo(2);
    assertThat(contracts.entry("version:sales.orders-value:2").getVersion().getDeleted()).isTrue();
  }

  @Test
  void shouldRefuseDeletingAVersionThatDoesNotExist() {
    contracts.register("sales.orders-value", ORDER_V1);

    assertRejected(
        contracts.deleteVersion("sales.orders-value", 7, false),
        RegistryErrors.VERSION_NOT_FOUND,
        "Version 7");
  }

  @Test
  void shouldRefuseSoftDeletingADeletedVersion() {
    contracts.register("sales.orders-value", ORDER_V1);
    contracts.register("sales.orders-value", ORDER_V2);
    contracts.deleteVersion("sales.orders-value", 1, false);

    assertRejected(
        contracts.deleteVersion("sales.orders-value", 1, false),
        RegistryErrors.VERSION_SOFT_DELETED,
        "was soft deleted");
  }

  @Test
  void shouldRefusePermanentlyDeletingALiveVersion() {
    contracts.register("sales.orders-value", ORDER_V1);

    assertRejected(
        contracts.deleteVersion("sales.orders-value", 1, true),
        RegistryErrors.VERSION_NOT_SOFT_DELETED,
        "was not deleted first");
  }

  @Test
  void shouldPermanentlyDeleteASoftDeletedVersion() {
    contracts.register("sales.orders-value", ORDER_V1);
    contracts.register("sales.orders-value", ORDER_V2);
    contracts.deleteVersion("sales.orders-value", 1, false);
    contracts.drainLog();

    ContractDecision decision = contracts.deleteVersion("sales.orders-value", 1, true);

    assertAccepted(decision);
    assertThat(contracts.entries())
        .containsExactly(KeyValue.pair("version:sales.orders-value:1", null));
  }

  @Test
  void shouldRefuseAnotherDomainDeletingASubject() {
    contracts.register("sales.orders-value", ORDER_V1);
    var proposal = ContractsDriver.proposal(ProposalType.DELETE_SUBJECT, "sales.orders-value");
    proposal.setActingDomain("marketing");

    assertRejected(contracts.propose(proposal), RegistryErrors.FORBIDDEN, "may not delete");
  }
}
