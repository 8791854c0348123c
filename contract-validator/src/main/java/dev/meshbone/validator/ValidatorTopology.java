package dev.meshbone.validator;

import dev.meshbone.topics.MeshTopics;
import dev.meshbone.validator.contracts.ContractDecisions;
import dev.meshbone.validator.control.ControlEvents;
import dev.meshbone.validator.control.ControlSettings;
import dev.meshbone.validator.records.ContractCatalog;
import dev.meshbone.validator.records.RecordValidation;
import dev.meshbone.validator.records.RecordValidationSettings;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/**
 * The validator's one topology, built from plain inputs so it is tested alone with
 * TopologyTestDriver. It has three independent sections, each in its own package:
 *
 * <ul>
 *   <li>{@link ContractDecisions}: contract proposals in, decisions and the contract log out
 *   <li>{@link ControlEvents}: the domains' product and quality events, checked
 *   <li>{@link RecordValidation}: every record on every ingest topic, to its product topic or DLQ
 * </ul>
 */
public final class ValidatorTopology {
  private ValidatorTopology() {}

  /** The topology with record validation's default settings (output topics assumed to exist). */
  public static Topology build(MeshTopics topics) {
    return build(topics, RecordValidationSettings.defaults());
  }

  /** The topology with record validation's settings and default control-event settings. */
  public static Topology build(MeshTopics topics, RecordValidationSettings records) {
    return build(topics, records, ControlSettings.defaults());
  }

  /** The topology with record validation's and the control-event checks' settings. */
  public static Topology build(
      MeshTopics topics, RecordValidationSettings records, ControlSettings control) {
    var builder = new StreamsBuilder();
    ContractDecisions.addTo(builder, topics);
    ControlEvents.addTo(builder, topics, control);
    RecordValidation.addTo(builder, topics, records);
    return builder.build();
  }

  /**
   * The topology when a {@code RecordLoop} checks the records: the same but for record validation,
   * of which it keeps the catalog and the sums of the loop's counts from {@code countsTopic}.
   */
  public static ForLoop buildForLoop(
      MeshTopics topics,
      RecordValidationSettings records,
      ControlSettings control,
      String countsTopic) {
    var builder = new StreamsBuilder();
    ContractDecisions.addTo(builder, topics);
    ControlEvents.addTo(builder, topics, control);
    ContractCatalog catalog = RecordValidation.addForLoop(builder, topics, records, countsTopic);
    return new ForLoop(builder.build(), catalog);
  }

  /** A topology for the record loop, and the catalog its global stores fill for the loop. */
  public record ForLoop(Topology topology, ContractCatalog catalog) {}
}
