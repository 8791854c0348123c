package dev.meshbone.validator.contracts;

import dev.meshbone.contracts.ProposalBatch;
import dev.meshbone.events.Compatibility;
import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.ContractProposal;
import dev.meshbone.events.ContractVersion;
import dev.meshbone.serde.FramedList;
import dev.meshbone.validator.records.RecordValidation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named processor ({@value ContractDecisions#PROCESSOR}) that decides each contract proposal
 * against the validator's contract stores and forwards what the decision writes: contract-log
 * entries first, then the decision. A proposal that does not decode (garbage bytes, a tombstone)
 * has no request id to answer; it is logged and skipped, and the stream goes on.
 *
 * <p><b>Seeding.</b> The stores live in this application's changelogs, but the truth is the
 * compacted {@code mesh.contracts}. A validator whose stores are empty (a new {@code
 * application.id}, wiped changelogs) would otherwise hand out ids from 1 again, ids that already
 * name other schemas. So before its first decision a fresh decider loads every version and level
 * from the validator's global copy of {@code mesh.contracts} ({@link
 * RecordValidation#CONTRACTS_STORE}, complete up to the log's end when stream threads start): the
 * identities give the same schema the same id again, and the next id is one above the highest id in
 * the log. The load is written to the changelogged stores in the transaction of that first
 * decision, so exactly-once holds: a crash before its commit loads again.
 *
 * <p>A new application id also reads {@code mesh.contracts.proposals} from its start again, and a
 * proposal decided before would be decided a second time against a state that already holds its
 * effect (a soft delete replayed after the subject was registered again...). The seeded decider
 * therefore skips proposals no later than the newest change in the log: every one of those was
 * decided before the log was written as it stands. A later proposal changed nothing when it was
 * decided (else the log would have a newer change), so deciding it again against the same state
 * gives the same answer and again changes nothing. The skipping ends at the first later proposal.
 */
final class ContractDecisionProcessor implements Processor<String, byte[], String, Outcome> {
  private static final Logger LOG = LoggerFactory.getLogger(ContractDecisionProcessor.class);

  /** Decisions are remembered as long as proposals are kept: a retry can only come before that. */
  static final Duration REQUEST_RETENTION = Duration.ofDays(7);

  private final Deserializer<ContractProposal> proposals;
  private ProcessorContext<String, Outcome> context;
  private KeyValueStore<String, ContractVersion> versions;
  private KeyValueStore<String, Integer> schemaIds;
  private KeyValueStore<Integer, ContractVersion> schemas;
  private KeyValueStore<String, Integer> counters;
  private KeyValueStore<String, String> configs;
  private KeyValueStore<String, ContractDecision> requests;
  private KeyValueStore<String, Long> seed;
  private KeyValueStore<byte[], byte[]> contractLog;
  private ContractDecider decider;
  private long skipped;

  ContractDecisionProcessor(Deserializer<ContractProposal> proposals) {
    this.proposals = proposals;
  }

  @Override
  public void init(ProcessorContext<String, Outcome> context) {
    this.context = context;
    versions = context.getStateStore(ContractDecisions.VERSIONS_STORE);
    schemaIds = context.getStateStore(ContractDecisions.SCHEMA_IDS_STORE);
    schemas = context.getStateStore(ContractDecisions.SCHEMAS_STORE);
    counters = context.getStateStore(ContractDecisions.COUNTERS_STORE);
    configs = context.getStateStore(ContractDecisions.CONFIGS_STORE);
    requests = context.getStateStore(ContractDecisions.REQUESTS_STORE);
    seed = context.getStateStore(ContractDecisions.SEED_STORE);
    try {
      contractLog = context.getStateStore(RecordValidation.CONTRACTS_STORE);
    } catch (RuntimeException noGlobalCopy) {
      // A topology without record validation (some tests) has no copy of the log to seed from.
      contractLog = null;
    }
    decider = new ContractDecider(new StoreState());
    context.schedule(Duration.ofHours(1), PunctuationType.WALL_CLOCK_TIME, this::expireRequests);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    seedIfFresh();
    Long skipThrough = seed.get(SKIP_THROUGH);
    if (skipThrough != null) {
      if (record.timestamp() <= skipThrough) {
        if (skipped++ == 0) {
          LOG.info(
              "skipping contract proposals up to {}: decided before, by this validator under"
                  + " another application id",
              Instant.ofEpochMilli(skipThrough));
        }
        return;
      }
      LOG.info("skipped {} contract proposals decided before; deciding from here", skipped);
      seed.delete(SKIP_THROUGH);
    }
    Header batch = record.headers().lastHeader(ProposalBatch.HEADER);
    if (batch == null) {
      decide(record.value(), record);
    } else if (!Arrays.equals(batch.value(), ProposalBatch.VERSION)) {
      LOG.warn("skipping a contract proposal batch of an unknown format (key {})", record.key());
    } else {
      List<byte[]> items;
      try {
        items = FramedList.decode(record.value());
      } catch (IllegalArgumentException e) {
        LOG.warn("skipping a contract proposal batch that does not decode: {}", e.getMessage());
        return;
      }
      // One record, so one transaction: every decision of the batch, in the batch's order.
      for (byte[] item : items) {
        decide(item, record);
      }
    }
    // A registration waits for this decision: commit at the end of this loop of the stream thread
    // rather than at the next commit interval (up to 20 ms later). Under load a commit takes longer
    // than the interval and Kafka Streams then commits after every record of the task anyway, so
    // the registry's bulk path sends its proposals as one batch record (ProposalBatch).
    context.commit();
  }

  /** Decides one encoded proposal of {@code record} and forwards what the decision writes. */
  private void decide(byte[] value, Record<String, byte[]> record) {
    ContractProposal proposal;
    try {
      proposal = proposals.deserialize(ContractDecisions.PROCESSOR, value);
    } catch (RuntimeException e) {
      LOG.warn(
          "skipping a contract proposal that does not decode ({} bytes, key {}): {}",
          value == null ? 0 : value.length,
          record.key(),
          e.getMessage());
      return;
    }
    if (proposal == null || proposal.getRequestId() == null || proposal.getRequestId().isEmpty()) {
      LOG.warn("skipping a contract proposal without a request id (key {})", record.key());
      return;
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "request {}: deciding at {} (epoch ms), {} ms after the proposal was sent",
          proposal.getRequestId(),
          System.currentTimeMillis(),
          System.currentTimeMillis() - record.timestamp());
    }
    Changes changes = decider.decide(proposal, record.timestamp());
    apply(changes);
    for (Outcome outcome : changes.outcomes) {
      context.forward(new Record<>(outcome.key(), outcome, record.timestamp()));
    }
  }

  /**
   * Loads {@code mesh.contracts} into the stores if they hold nothing yet; once per state (the
   * {@value #SEEDED} marker), in the transaction of the first proposal processed.
   */
  private void seedIfFresh() {
    if (seed.get(SEEDED) != null) {
      return;
    }
    if (contractLog != null && isFresh()) {
      ContractSeed.Loaded loaded = ContractSeed.load(contractLog);
      loaded.versions().forEach(v -> versions.put(versionKey(v.getSubject(), v.getVersion()), v));
      loaded.schemaIds().forEach(schemaIds::put);
      loaded.schemas().forEach(schemas::put);
      loaded.configs().forEach((subject, level) -> configs.put(subject, level.name()));
      if (loaded.nextId() > 1) {
        counters.put(NEXT_ID, loaded.nextId());
      }
      if (loaded.latestTimestamp() != null) {
        seed.put(SKIP_THROUGH, loaded.latestTimestamp());
      }
      if (!loaded.versions().isEmpty() || !loaded.configs().isEmpty()) {
        LOG.info(
            "contract state was empty: loaded {} versions, {} schema ids and {} levels from the"
                + " contract log; the next schema id is {}",
            loaded.versions().size(),
            loaded.schemaIds().size(),
            loaded.configs().size(),
            loaded.nextId());
      }
    }
    seed.put(SEEDED, context.currentSystemTimeMs());
  }

  private boolean isFresh() {
    if (counters.get(NEXT_ID) != null) {
      return false;
    }
    try (KeyValueIterator<String, ContractVersion> anyVersion = versions.all();
        KeyValueIterator<String, String> anyConfig = configs.all()) {
      return !anyVersion.hasNext() && !anyConfig.hasNext();
    }
  }

  private void apply(Changes changes) {
    changes.versions.forEach(
        (ref, version) -> {
          String key = versionKey(ref.subject(), ref.version());
          if (version == null) {
            versions.delete(key);
          } else {
            versions.put(key, version);
          }
        });
    changes.schemaIds.forEach(schemaIds::put);
    changes.schemas.forEach(schemas::put);
    if (changes.nextId != null) {
      counters.put(NEXT_ID, changes.nextId);
    }
    changes.configs.forEach(
        (subject, level) -> {
          if (level == null) {
            configs.delete(subject);
          } else {
            configs.put(subject, level.name());
          }
        });
    if (changes.requestId != null) {
      requests.put(changes.requestId, changes.decision);
    }
  }

  private void expireRequests(long now) {
    Instant cutoff = Instant.ofEpochMilli(now).minus(REQUEST_RETENTION);
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, ContractDecision> all = requests.all()) {
      while (all.hasNext()) {
        KeyValue<String, ContractDecision> entry = all.next();
        if (entry.value == null || entry.value.getDecidedAt().isBefore(cutoff)) {
          expired.add(entry.key);
        }
      }
    }
    expired.forEach(requests::delete);
  }

  static final String NEXT_ID = "next-id";

  /** In {@value ContractDecisions#SEED_STORE}: when the state was checked for seeding. */
  static final String SEEDED = "seeded-at";

  /** In {@value ContractDecisions#SEED_STORE}: proposals up to this timestamp are skipped. */
  static final String SKIP_THROUGH = "skip-through";

  /**
   * The key of one version in the versions store: the subject, a NUL (never in a subject) and the
   * version zero-padded, so a prefix scan returns a subject's versions in order.
   */
  static String versionKey(String subject, int version) {
    return subject + '\u0000' + String.format("%010d", version);
  }

  private final class StoreState implements ContractState {
    @Override
    public List<ContractVersion> versions(String subject) {
      List<ContractVersion> result = new ArrayList<>();
      try (KeyValueIterator<String, ContractVersion> it =
          versions.prefixScan(subject + '\u0000', new StringSerializer())) {
        while (it.hasNext()) {
          ContractVersion v = it.next().value;
          if (v != null) {
            result.add(v);
          }
        }
      }
      return result;
    }

    @Override
    public Integer schemaId(String identity) {
      return schemaIds.get(identity);
    }

    @Override
    public int nextId() {
      Integer next = counters.get(NEXT_ID);
      return next == null ? 1 : next;
    }

    @Override
    public Compatibility config(String subjectOrGlobal) {
      String level = configs.get(subjectOrGlobal);
      return level == null ? null : Compatibility.valueOf(level);
    }

    @Override
    public ContractDecision decision(String requestId) {
      return requests.get(requestId);
    }
  }
}
