package dev.meshbone.quality;

import dev.meshbone.topics.MeshTopics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The quality monitor's topology.
 *
 * <p>Foundation slice: counts validated quality events per product into {@value
 * #EVENT_COUNTS_STORE}. Windowed SLOs, freshness and alerts are built on this.
 */
public final class QualityTopology {
  public static final String EVENT_COUNTS_STORE = "quality-event-counts";

  private QualityTopology() {}

  public static Topology build(MeshTopics topics) {
    var builder = new StreamsBuilder();
    builder.stream(
            topics.quality.name(),
            Consumed.with(topics.quality.keySerde(), topics.quality.valueSerde())
                .withName("quality-source"))
        .groupByKey(Grouped.<String, dev.meshbone.events.QualityEvent>as("quality-by-product"))
        .count(
            Named.as("count-quality-events"),
            Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(EVENT_COUNTS_STORE)
                .withKeySerde(Serdes.String())
                .withValueSerde(Serdes.Long()));
    return builder.build();
  }
}
