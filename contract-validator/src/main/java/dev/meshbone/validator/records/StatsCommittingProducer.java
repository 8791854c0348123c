package dev.meshbone.validator.records;

import dev.meshbone.events.ProductStats;
import dev.meshbone.topics.ProductId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A stream thread's producer that sends the thread's pending {@link StatsCounts} as count deltas to
 * the statistics' repartition topic before each commit, so they commit with the records they count:
 * in {@link #flush()} (Streams flushes its producer before it commits, under exactly-once and
 * at-least-once alike) and, for counts made after that flush, in {@link #commitTransaction()};
 * {@link #abortTransaction()} drops them with the records. The deltas go as Streams' own sink would
 * send them: the same serdes, no headers, the producer's default partitioner on the serialized key.
 *
 * <p>Once a commit (or an at-least-once flush) succeeds, the {@link ValidationListener} is told of
 * each delta. Everything else goes to the real producer as it is.
 */
final class StatsCommittingProducer implements Producer<byte[], byte[]> {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(StatsCommittingProducer.class);

  private final Producer<byte[], byte[]> delegate;
  private final StatsCounts counts;
  private final String topic;
  private final Serializer<String> keySerializer;
  private final Serializer<ProductStats> valueSerializer;
  private final ValidationListener listener;
  private final boolean transactional;
  private final LongSupplier clock;
  private final List<Map.Entry<ProductId, ProductStats>> sent = new ArrayList<>();
  private final AtomicReference<Exception> sendError = new AtomicReference<>();

  StatsCommittingProducer(
      Producer<byte[], byte[]> delegate,
      StatsCounts counts,
      String topic,
      Serializer<String> keySerializer,
      Serializer<ProductStats> valueSerializer,
      ValidationListener listener,
      boolean transactional,
      LongSupplier clock) {
    this.delegate = delegate;
    this.counts = counts;
    this.topic = topic;
    this.keySerializer = keySerializer;
    this.valueSerializer = valueSerializer;
    this.listener = listener;
    this.transactional = transactional;
    this.clock = clock;
  }

  @Override
  public void commitTransaction() {
    sendCounts();
    try {
      delegate.commitTransaction();
    } catch (RuntimeException e) {
      sent.clear();
      throw e;
    }
    notifyListener();
  }

  @Override
  public void abortTransaction() {
    counts.discard();
    sent.clear();
    delegate.abortTransaction();
  }

  @Override
  public void flush() {
    // Streams flushes before it commits: deltas sent here share the flush's produce requests with
    // the records, where a send in commitTransaction alone would cost the commit a round trip.
    sendCounts();
    delegate.flush();
    if (transactional) {
      return;
    }
    Exception error = sendError.getAndSet(null);
    if (error != null) {
      sent.clear();
      throw new KafkaException("could not send the product statistics' count deltas", error);
    }
    notifyListener();
  }

  private void sendCounts() {
    counts.drain(clock.getAsLong(), this::send);
  }

  private void send(ProductId product, ProductStats delta) {
    var headers = new RecordHeaders();
    String key = product.toString();
    byte[] keyBytes = keySerializer.serialize(topic, headers, key);
    byte[] valueBytes = valueSerializer.serialize(topic, headers, delta);
    long timestamp = delta.getUpdatedAt().toEpochMilli();
    Callback callback =
        transactional
            ? null
            : (metadata, e) -> {
              if (e != null) {
                sendError.compareAndSet(null, e);
              }
            };
    delegate.send(
        new ProducerRecord<>(topic, null, timestamp, keyBytes, valueBytes, headers), callback);
    sent.add(Map.entry(product, delta));
  }

  private void notifyListener() {
    for (Map.Entry<ProductId, ProductStats> delta : sent) {
      try {
        listener.onCounts(delta.getKey(), delta.getValue());
      } catch (RuntimeException e) {
        // Metrics must never stop validation.
        LOG.warn("validation listener failed for {}", delta.getKey(), e);
      }
    }
    sent.clear();
  }

  @Override
  public void close() {
    counts.discard();
    delegate.close();
  }

  @Override
  public void close(Duration timeout) {
    counts.discard();
    delegate.close(timeout);
  }

  @Override
  public void initTransactions() {
    delegate.initTransactions();
  }

  @Override
  public void beginTransaction() {
    delegate.beginTransaction();
  }

  @Override
  public void sendOffsetsToTransaction(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
    delegate.sendOffsetsToTransaction(offsets, groupMetadata);
  }

  @Override
  public void registerMetricForSubscription(KafkaMetric metric) {
    delegate.registerMetricForSubscription(metric);
  }

  @Override
  public void unregisterMetricFromSubscription(KafkaMetric metric) {
    delegate.unregisterMetricFromSubscription(metric);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
    return delegate.send(record);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
    return delegate.send(record, callback);
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return delegate.partitionsFor(topic);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return delegate.metrics();
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return delegate.clientInstanceId(timeout);
  }
}
