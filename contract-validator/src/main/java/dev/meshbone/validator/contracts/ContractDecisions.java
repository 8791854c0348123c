package dev.meshbone.validator.contracts;

import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.ContractVersion;
import dev.meshbone.serde.MeshEventSerde;
import dev.meshbone.topics.MeshTopics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The contract-decision section of the validator's topology: {@code mesh.contracts.proposals} in,
 * {@code mesh.contracts} and {@code mesh.contracts.decisions} out.
 *
 * <p>The proposals topic has one partition, so one task decides every proposal in one order: the
 * validator is the single writer of schema ids and versions. The processor {@value #PROCESSOR}
 * keeps the registry's state in its own changelogged stores and, under exactly-once processing,
 * commits each decision's store changes, contract-log entries, decision and input offset in one
 * transaction: a crash between proposal and decision replays the proposal against the state before
 * it, so one schema never gets two ids and one id never names two schemas.
 *
 * <p>The stores:
 *
 * <ul>
 *   <li>{@value #VERSIONS_STORE}: {@code <subject> NUL <version, 10 digits>} → ContractVersion,
 *       every version not permanently deleted (soft-deleted ones flagged)
 *   <li>{@value #SCHEMA_IDS_STORE}: contract identity (SHA-256 of canonical schema, references,
 *       metadata and rule set) → schema id
 *   <li>{@value #SCHEMAS_STORE}: schema id → the version that first got it
 *   <li>{@value #COUNTERS_STORE}: {@code next-id} → the next schema id
 *   <li>{@value #CONFIGS_STORE}: subject ({@code ""} for the global level) → compatibility level
 *   <li>{@value #REQUESTS_STORE}: request id → the decision taken, so a retry gets the same answer
 *       (kept seven days, as long as proposals)
 *   <li>{@value #SEED_STORE}: whether this state was seeded from {@code mesh.contracts}, and up to
 *       which proposal timestamp proposals are skipped as decided before (see {@link
 *       ContractDecisionProcessor})
 * </ul>
 *
 * <p>A fresh state (a new application id, wiped changelogs) is seeded from {@code mesh.contracts}
 * before the first decision, through the global copy of the log that record validation keeps: same
 * schema, same id; new ids above every id in the log.
 */
public final class ContractDecisions {
  public static final String PROCESSOR = "contract-decisions";
  public static final String VERSIONS_STORE = "contract-subject-versions";
  public static final String SCHEMA_IDS_STORE = "contract-schema-ids";
  public static final String SCHEMAS_STORE = "contract-schemas";
  public static final String COUNTERS_STORE = "contract-counters";
  public static final String CONFIGS_STORE = "contract-configs";
  public static final String REQUESTS_STORE = "contract-requests";
  public static final String SEED_STORE = "contract-seed";

  private ContractDecisions() {}

  /** Adds contract decisions to {@code builder}. */
  public static void addTo(StreamsBuilder builder, MeshTopics topics) {
    var versionSerde = MeshEventSerde.of(ContractVersion.class);
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(VERSIONS_STORE), Serdes.String(), versionSerde));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SCHEMA_IDS_STORE), Serdes.String(), Serdes.Integer()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SCHEMAS_STORE), Serdes.Integer(), versionSerde));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(COUNTERS_STORE), Serdes.String(), Serdes.Integer()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(CONFIGS_STORE), Serdes.String(), Serdes.String()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(REQUESTS_STORE),
            Serdes.String(),
            MeshEventSerde.of(ContractDecision.class)));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SEED_STORE), Serdes.String(), Serdes.Long()));

    // Proposals are read as bytes and decoded by the processor, so garbage on the topic is
    // skipped with a log line instead of failing the stream.
    var proposalSerde = topics.contractProposals.valueSerde();
    KStream<String, Outcome> outcomes =
        builder.stream(
                topics.contractProposals.name(),
                Consumed.with(Serdes.String(), Serdes.ByteArray())
                    .withName("contract-proposals-source"))
            .process(
                () -> new ContractDecisionProcessor(proposalSerde.deserializer()),
                Named.as(PROCESSOR),
                VERSIONS_STORE,
                SCHEMA_IDS_STORE,
                SCHEMAS_STORE,
                COUNTERS_STORE,
                CONFIGS_STORE,
                REQUESTS_STORE,
                SEED_STORE);

    outcomes
        .split(Named.as("contract-outcome-"))
        .branch(
            (key, outcome) -> outcome instanceof Outcome.Entry,
            Branched.withConsumer(
                entries ->
                    entries
                        .mapValues(
                            outcome -> ((Outcome.Entry) outcome).value(),
                            Named.as("contract-entry-value"))
                        .to(
                            topics.contracts.name(),
                            Produced.with(
                                    topics.contracts.keySerde(), topics.contracts.valueSerde())
                                .withName("contract-log-sink")),
                "entries"))
        .defaultBranch(
            Branched.withConsumer(
                decisions ->
                    decisions
                        .mapValues(
                            outcome -> ((Outcome.Decision) outcome).value(),
                            Named.as("contract-decision-value"))
                        .to(
                            topics.contractDecisions.name(),
                            Produced.with(
                                    topics.contractDecisions.keySerde(),
                                    topics.contractDecisions.valueSerde())
                                .withName("contract-decision-sink")),
                "decisions"));
  }
}
