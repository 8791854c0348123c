package dev.meshbone.bench.validator;

import dev.meshbone.topics.DomainTopics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The pass-through's one processor: each record unchanged, with its product topic and source
 * partition beside it for the sink, exactly as the validator hands records to its sink, minus the
 * check.
 */
final class PassThroughRoute implements Processor<byte[], byte[], byte[], PassThroughRoute.Out> {
  record Out(byte[] value, String topic, int partition) {}

  static final Serde<Out> SERDE =
      Serdes.serdeFrom(
          (topic, out) -> out == null ? null : out.value(),
          (topic, bytes) -> {
            throw new UnsupportedOperationException();
          });

  private final Map<String, String> products = new HashMap<>();
  private ProcessorContext<byte[], Out> context;

  @Override
  public void init(ProcessorContext<byte[], Out> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    String product =
        products.computeIfAbsent(
            meta.topic(),
            t -> DomainTopics.validated(DomainTopics.productOfIngest(t).orElseThrow()));
    context.forward(record.withValue(new Out(record.value(), product, meta.partition())));
  }
}
