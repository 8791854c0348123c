package dev.meshbone.bench.contracts;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The floor of a request/reply through Kafka, as a baseline for contract registration: a request
 * record is written (acks=all, idempotent, no linger), an exactly-once Kafka Streams app with the
 * validator's settings ({@code commit.interval.ms=20}, {@code poll.ms=10}, {@code
 * max.task.idle.ms=-1}) copies it to a reply topic and, as the validator's contract decisions do,
 * asks for a commit right after it, and a {@code read_committed} consumer waits for it. One request
 * at a time, as a client registering schemas one after the other. What a registration costs beyond
 * this is the HTTP hop, the validator's decision and the registry's read-your-writes wait.
 */
public final class KafkaEcho {
  private KafkaEcho() {}

  /** {@code rounds} rounds of {@code requests} sequential round trips, after {@code warmup}. */
  public static List<long[]> measure(String bootstrap, int warmup, int requests, int rounds)
      throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String in = "bench.echo.requests-" + run;
    String out = "bench.echo.replies-" + run;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(in, 1, (short) 1), new NewTopic(out, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    var builder = new StreamsBuilder();
    builder.stream(in, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("requests"))
        .process(CommittingEcho::new, Named.as("echo"))
        .to(out, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("replies"));
    var props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-echo-" + run);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 20);
    props.put(StreamsConfig.POLL_MS_CONFIG, 10);
    props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("echo").toString());
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    var producerConfig = new HashMap<String, Object>();
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    var consumerConfig = new HashMap<String, Object>();
    consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
    var streams = new KafkaStreams(builder.build(), props);
    streams.start();
    try (var producer =
            new KafkaProducer<>(
                producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        var consumer =
            new KafkaConsumer<>(
                consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partition = new TopicPartition(out, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      List<long[]> result = new ArrayList<>();
      int n = 0;
      for (int round = -1; round < rounds; round++) {
        int count = round < 0 ? warmup : requests;
        long[] latencies = new long[count];
        for (int i = 0; i < count; i++) {
          byte[] key = ("r" + (n++)).getBytes(StandardCharsets.UTF_8);
          long t0 = System.nanoTime();
          producer.send(new ProducerRecord<>(in, key, key)).get();
          long deadline = t0 + Duration.ofSeconds(60).toNanos();
          boolean back = false;
          while (!back) {
            for (var r : consumer.poll(Duration.ofMillis(50))) {
              back |= Arrays.equals(r.key(), key);
            }
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException("no echo of " + new String(key) + " in 60 s");
            }
          }
          latencies[i] = System.nanoTime() - t0;
        }
        if (round >= 0) {
          Arrays.sort(latencies);
          result.add(latencies);
        }
      }
      return result;
    } finally {
      streams.close(Duration.ofSeconds(30));
      streams.cleanUp();
    }
  }

  /** Copies each request and asks for a commit at once, as the contract decisions do. */
  private static final class CommittingEcho implements Processor<byte[], byte[], byte[], byte[]> {
    private ProcessorContext<byte[], byte[]> context;

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
      this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
      context.forward(record);
      context.commit();
    }
  }
}
