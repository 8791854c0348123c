package dev.meshbone.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local mesh's look for hanging transactions on a real node: transactions that are running,
 * committed or aborted are no business of it, so it aborts none of them, and a transaction it left
 * running commits afterwards. (A hanging one takes a crash of the node at the wrong moment: see
 * {@link HangingTransactions} and its rule's test.)
 */
class HangingTransactionsIT {
  private static Path data;
  private static LocalKafka kafka;

  @BeforeAll
  static void startNode() throws Exception {
    data = Files.createTempDirectory("hanging-transactions");
    kafka = LocalKafka.start(data, freePort(), freePort());
    try (Admin admin = admin()) {
      admin
          .createTopics(
              List.of(new NewTopic("orders", 2, (short) 1), new NewTopic("marked", 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stopNode() throws IOException {
    kafka.close();
    LocalKafka.wipe(data);
  }

  @Test
  void shouldEndNoTransactionThatIsRunningCommittedOrAborted() throws Exception {
    try (var committed = producer("committed");
        var aborted = producer("aborted");
        var running = producer("running");
        Admin admin = admin()) {
      committed.initTransactions();
      committed.beginTransaction();
      committed.send(new ProducerRecord<>("orders", 0, "k", "committed")).get();
      committed.commitTransaction();
      aborted.initTransactions();
      aborted.beginTransaction();
      aborted.send(new ProducerRecord<>("orders", 1, "k", "aborted")).get();
      aborted.abortTransaction();
      // Open on both partitions and on the group's offsets, as the record loop's are.
      running.initTransactions();
      running.beginTransaction();
      running.send(new ProducerRecord<>("orders", 0, "k", "running")).get();
      running.send(new ProducerRecord<>("orders", 1, "k", "running")).get();
      running.sendOffsetsToTransaction(
          Map.of(new TopicPartition("orders", 0), new OffsetAndMetadata(1)),
          new ConsumerGroupMetadata("loop"));

      var outcome = HangingTransactions.endAll(config(), Duration.ofSeconds(10));
      assertThat(outcome.committed()).isEmpty();
      assertThat(outcome.aborted()).isEmpty();
      assertThat(outcome.undecided()).isEmpty();

      running.commitTransaction();
      // Its markers are written after the commit returns.
      var partitions = Set.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  admin
                      .describeProducers(partitions)
                      .all()
                      .get(30, TimeUnit.SECONDS)
                      .values()
                      .forEach(
                          state ->
                              state
                                  .activeProducers()
                                  .forEach(
                                      p ->
                                          assertThat(p.currentTransactionStartOffset())
                                              .isEmpty())));
      // Had the look aborted the running transaction, its records would not be read here.
      assertThat(readCommitted(partitions))
          .containsExactlyInAnyOrder("committed", "running", "running");
    }
  }

  private static KafkaProducer<String, String> producer(String transactionalId) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            transactionalId),
        new StringSerializer(),
        new StringSerializer());
  }

  private static List<String> readCommitted(Set<TopicPartition> partitions) {
    try (var consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<String> values = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
      }
      return values;
    }
  }

  /**
   * The COMMIT markers the admin client cannot write, written as a coordinator writes them: the
   * records of a transaction still open become readable to {@code read_committed} readers.
   */
  @Test
  void shouldCommitWhatAMarkerCommits() throws Exception {
    var partition = new TopicPartition("marked", 0);
    try (var open = producer("marked");
        Admin admin = admin()) {
      open.initTransactions();
      open.beginTransaction();
      open.send(new ProducerRecord<>("marked", 0, "k", "marked")).get();
      var state =
          admin
              .describeProducers(Set.of(partition))
              .partitionResult(partition)
              .get(30, TimeUnit.SECONDS)
              .activeProducers()
              .stream()
              .filter(p -> p.currentTransactionStartOffset().isPresent())
              .findFirst()
              .orElseThrow();
      var leader =
          admin
              .describeTopics(Set.of("marked"))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get("marked")
              .partitions()
              .get(0)
              .leader();
      assertThat(readCommitted(Set.of(partition))).doesNotContain("marked");

      Markers.commit(
          config(),
          List.of(
              new HangingTransactions.Open(
                  partition,
                  leader,
                  state.producerId(),
                  (short) state.producerEpoch(),
                  state.coordinatorEpoch().orElse(0))));

      assertThat(readCommitted(Set.of(partition))).contains("marked");
    }
  }

  private static Map<String, Object> config() {
    return Map.of("bootstrap.servers", kafka.bootstrapServers());
  }

  private static Admin admin() {
    return Admin.create(config());
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
