package dev.meshbone.validator.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.contracts.ProposalBatch;
import dev.meshbone.events.Compatibility;
import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.ContractEntry;
import dev.meshbone.events.ContractProposal;
import dev.meshbone.events.DecisionOutcome;
import dev.meshbone.events.ProposalType;
import dev.meshbone.serde.FramedList;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.validator.ValidatorTestConfig;
import dev.meshbone.validator.ValidatorTopology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The validator's real topology in a TopologyTestDriver, with the contract topics at hand: propose
 * something, get the decision that answers it, see what was written to the contract log.
 */
final class ContractsDriver implements AutoCloseable {
  private final MeshTopics topics = MeshTopics.defaults();
  private final TopologyTestDriver driver;
  private final TestInputTopic<String, ContractProposal> proposals;
  private final TestInputTopic<String, byte[]> rawProposals;
  private final TestOutputTopic<String, ContractEntry> log;
  private final TestOutputTopic<String, ContractDecision> decisions;
  private final List<KeyValue<String, ContractEntry>> entries = new ArrayList<>();
  private final List<TestRecord<String, ContractEntry>> logRecords = new ArrayList<>();
  private final TestInputTopic<String, ContractEntry> logInput;
  private final List<TestRecord<String, ContractProposal>> proposalRecords = new ArrayList<>();
  private final Duration step;
  private Instant clock;

  ContractsDriver() {
    this(Instant.now(), Duration.ZERO);
  }

  /**
   * A driver whose proposals are stamped from {@code start} on, each {@code step} after the one
   * before, as the registry's producer would stamp them.
   */
  ContractsDriver(Instant start, Duration step) {
    this.clock = start;
    this.step = step;
    driver =
        new TopologyTestDriver(
            ValidatorTopology.build(topics), ValidatorTestConfig.streams("contract-decisions"));
    proposals =
        driver.createInputTopic(
            topics.contractProposals.name(),
            new StringSerializer(),
            topics.contractProposals.valueSerde().serializer(),
            start,
            step);
    rawProposals =
        driver.createInputTopic(
            topics.contractProposals.name(),
            new StringSerializer(),
            new ByteArraySerializer(),
            start,
            step);
    logInput =
        driver.createInputTopic(
            topics.contracts.name(),
            new StringSerializer(),
            topics.contracts.valueSerde().serializer());
    log =
        driver.createOutputTopic(
            topics.contracts.name(),
            topics.contracts.keySerde().deserializer(),
            topics.contracts.valueSerde().deserializer());
    decisions =
        driver.createOutputTopic(
            topics.contractDecisions.name(),
            topics.contractDecisions.keySerde().deserializer(),
            topics.contractDecisions.valueSerde().deserializer());
  }

  @Override
  public void close() {
    driver.close();
  }

  ContractDecision register(String subject, String schema) {
    return register(subject, schema, null, null);
  }

  ContractDecision register(String subject, String schema, String metadata, String ruleSet) {
    var proposal = proposal(ProposalType.REGISTER, subject);
    proposal.setSchema$(schema);
    proposal.setMetadataJson(metadata);
    proposal.setRuleSetJson(ruleSet);
    return propose(proposal);
  }

  ContractDecision setConfig(String subject, Compatibility level, String acting) {
    var proposal = proposal(ProposalType.SET_CONFIG, subject);
    proposal.setCompatibility(level);
    proposal.setActingDomain(acting);
    return propose(proposal);
  }

  ContractDecision deleteSubject(String subject, boolean permanent) {
    var proposal = proposal(ProposalType.DELETE_SUBJECT, subject);
    proposal.setPermanent(permanent);
    return propose(proposal);
  }

  ContractDecision deleteVersion(String subject, int version, boolean permanent) {
    var proposal = proposal(ProposalType.DELETE_VERSION, subject);
    proposal.setVersion(version);
    proposal.setPermanent(permanent);
    return propose(proposal);
  }

  /** A proposal with a fresh request id, made by the domain that owns the subject. */
  static ContractProposal.Builder proposal(ProposalType type, String subject) {
    String acting =
        subject == null ? "mesh" : subject.substring(0, Math.max(0, subject.indexOf('.')));
    return ContractProposal.newBuilder()
        .setRequestId(UUID.randomUUID().toString())
        .setType(type)
        .setSubject(subject)
        .setActingDomain(acting)
        .setProposedAt(Instant.parse("2025-01-01T00:00:00Z"));
  }

  /** Proposes and returns the decision answering it (failing if there is none). */
  ContractDecision propose(ContractProposal.Builder builder) {
    ContractProposal proposal = builder.build();
    var record = new TestRecord<>(proposal.getSubject(), proposal, clock);
    clock = clock.plus(step);
    proposalRecords.add(record);
    proposals.pipeInput(record);
    ContractDecision answer = null;
    for (KeyValue<String, ContractDecision> decision : decisions.readKeyValuesToList()) {
      if (decision.key.equals(proposal.getRequestId())) {
        answer = decision.value;
      }
    }
    assertThat(answer).as("decision for request %s", proposal.getRequestId()).isNotNull();
    readLog();
    return answer;
  }

  /** Pipes a proposal (a replay of one decided elsewhere) and returns its decision, if any. */
  ContractDecision replay(TestRecord<String, ContractProposal> proposal) {
    proposals.pipeInput(proposal);
    readLog();
    ContractDecision answer = null;
    for (KeyValue<String, ContractDecision> decision : decisions.readKeyValuesToList()) {
      if (decision.key.equals(proposal.value().getRequestId())) {
        answer = decision.value;
      }
    }
    return answer;
  }

  private void readLog() {
    for (TestRecord<String, ContractEntry> record : log.readRecordsToList()) {
      logRecords.add(record);
      entries.add(KeyValue.pair(record.key(), record.value()));
    }
  }

  /** Every proposal {@link #propose} piped, with its timestamp. */
  List<TestRecord<String, ContractProposal>> proposalRecords() {
    return proposalRecords;
  }

  /** Every record this driver's decider wrote to the contract log, with its timestamp. */
  List<TestRecord<String, ContractEntry>> logRecords() {
    readLog();
    return logRecords;
  }

  /** Pipes records into the contract log, as another validator wrote them. */
  void pipeLog(List<TestRecord<String, ContractEntry>> records) {
    records.forEach(logInput::pipeInput);
  }

  /**
   * Pipes {@code batch} as one {@link ProposalBatch} record, as the registry's bulk path sends it;
   * the decisions read back in the order they were written.
   */
  List<ContractDecision> proposeBatch(List<ContractProposal> batch) {
    var serializer = topics.contractProposals.valueSerde().serializer();
    byte[] value =
        FramedList.encode(
            batch.stream()
                .map(p -> serializer.serialize(topics.contractProposals.name(), p))
                .toList());
    var headers = new RecordHeaders();
    headers.add(ProposalBatch.HEADER, ProposalBatch.VERSION);
    rawProposals.pipeInput(new TestRecord<>(batch.get(0).getSubject(), value, headers, clock));
    clock = clock.plus(step);
    readLog();
    return decisions.readValuesToList();
  }

  /** Pipes raw bytes with headers onto the proposals topic. */
  void pipeRaw(byte[] value, RecordHeaders headers) {
    rawProposals.pipeInput(new TestRecord<>("sales.orders-value", value, headers, clock));
  }

  /** Pipes raw bytes (garbage, a tombstone) onto the proposals topic. */
  void pipeRaw(byte[] value) {
    rawProposals.pipeInput("sales.orders-value", value);
  }

  /** Pipes a proposal without waiting for a decision. */
  void pipe(ContractProposal.Builder proposal) {
    proposals.pipeInput(proposal.getSubject(), proposal.build());
  }

  boolean noDecisions() {
    return decisions.isEmpty();
  }

  /** The entries written to the contract log since the last {@link #drainLog()}, in order. */
  List<KeyValue<String, ContractEntry>> entries() {
    readLog();
    return entries;
  }

  void drainLog() {
    entries();
    entries.clear();
  }

  /** The latest entry written under {@code key} since the last drain. */
  ContractEntry entry(String key) {
    Map<String, ContractEntry> latest = new LinkedHashMap<>();
    entries().forEach(kv -> latest.put(kv.key, kv.value));
    assertThat(latest).containsKey(key);
    return latest.get(key);
  }

  static String canonical(String schema) {
    return new org.apache.avro.Schema.Parser().parse(schema).toString();
  }

  static void assertAccepted(ContractDecision decision) {
    assertThat(decision.getOutcome())
        .as("%s", decision.getMessage())
        .isEqualTo(DecisionOutcome.ACCEPTED);
    assertThat(decision.getErrorCode()).isZero();
  }

  static void assertRejected(ContractDecision decision, int errorCode, String messagePart) {
    assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.REJECTED);
    assertThat(decision.getErrorCode()).as("%s", decision.getMessage()).isEqualTo(errorCode);
    assertThat(decision.getMessage()).contains(messagePart);
  }
}
