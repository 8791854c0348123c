package dev.meshbone.validator.control;

import dev.meshbone.events.ContractViolation;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.events.ViolationCode;
import dev.meshbone.events.ViolationReason;
import dev.meshbone.serde.MeshEventSerde;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.validator.ValidatorTestConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The control-event section, exactly as {@link ControlEvents#addTo} builds it, in a
 * TopologyTestDriver whose wall clock stands at {@link Events#NOW}; with helpers to publish events
 * on a domain's control topics and read what the section wrote.
 */
final class ControlDriver implements AutoCloseable {
  final MeshTopics topics = MeshTopics.defaults();
  final Topology topology;
  final TopologyTestDriver driver;
  final TestOutputTopic<String, DataProductEvent> products;
  final TestOutputTopic<String, ContractViolation> violations;
  final TestOutputTopic<String, QualityEvent> quality;
  private final Path stateDir;
  private final MeshEventSerde<DataProductEvent> productSerde =
      MeshEventSerde.of(DataProductEvent.class);
  private final MeshEventSerde<QualityEvent> qualitySerde = MeshEventSerde.of(QualityEvent.class);

  ControlDriver() {
    this(ControlSettings.defaults());
  }

  /** With other control-event settings. */
  ControlDriver(ControlSettings settings) {
    var builder = new StreamsBuilder();
    ControlEvents.addTo(builder, topics, settings);
    topology = builder.build();
    try {
      stateDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "tdd-state");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    driver =
        new TopologyTestDriver(
            topology, ValidatorTestConfig.streams("control-events", stateDir), Events.NOW);
    products =
        driver.createOutputTopic(
            topics.products.name(),
            topics.products.keySerde().deserializer(),
            topics.products.valueSerde().deserializer());
    violations =
        driver.createOutputTopic(
            topics.violations.name(),
            topics.violations.keySerde().deserializer(),
            topics.violations.valueSerde().deserializer());
    quality =
        driver.createOutputTopic(
            topics.quality.name(),
            topics.quality.keySerde().deserializer(),
            topics.quality.valueSerde().deserializer());
  }

  /** Publishes on the product-events topic of the product's domain, keyed by the product id. */
  void publish(DataProductEvent event) {
    publish(domainOf(event.getProductId()), event.getProductId(), event);
  }

  /** Publishes on {@code topicDomain}'s product-events topic with {@code key}. */
  void publish(String topicDomain, String key, DataProductEvent event) {
    publish(topicDomain, key, event, event.getOccurredAt());
  }

  void publish(String topicDomain, String key, DataProductEvent event, Instant recordTimestamp) {
    pipe(
        topicDomain + DomainTopics.PRODUCT_EVENTS_SUFFIX,
        key,
        productSerde.serialize(null, event),
        new RecordHeaders(),
        recordTimestamp);
  }

  /** Publishes on the quality-events topic of the product's domain, keyed by the product id. */
  void publish(QualityEvent event) {
    publish(domainOf(event.getProductId()), event.getProductId(), event);
  }

  void publish(String topicDomain, String key, QualityEvent event) {
    pipe(
        topicDomain + DomainTopics.QUALITY_EVENTS_SUFFIX,
        key,
        qualitySerde.serialize(null, event),
        new RecordHeaders(),
        event.getOccurredAt());
  }

  /** Publishes raw bytes (or null) on any topic. */
  void pipe(String topic, String key, byte[] value, Headers headers, Instant timestamp) {
    driver
        .createInputTopic(topic, Serdes.String().serializer(), Serdes.ByteArray().serializer())
        .pipeInput(new TestRecord<>(key, value, headers, timestamp));
  }

  byte[] bytes(DataProductEvent event) {
    return productSerde.serialize(null, event);
  }

  List<KeyValue<String, DataProductEvent>> products() {
    return products.readKeyValuesToList();
  }

  List<KeyValue<String, ContractViolation>> violations() {
    return violations.readKeyValuesToList();
  }

  /** The one violation written since the last read; fails if there are more or none. */
  ContractViolation onlyViolation() {
    var all = violations.readValuesToList();
    if (all.size() != 1) {
      throw new AssertionError("expected exactly one violation, got " + all);
    }
    return all.get(0);
  }

  /** The codes of the one violation written since the last read. */
  static List<ViolationCode> codes(ContractViolation violation) {
    return violation.getReasons().stream().map(ViolationReason::getCode).toList();
  }

  KeyValueStore<String, LifecycleState> lifecycleStore() {
    return driver.getKeyValueStore(ControlEvents.LIFECYCLE_STORE);
  }

  private static String domainOf(String productId) {
    return productId.substring(0, productId.indexOf('.'));
  }

  @Override
  public void close() {
    driver.close();
    try (Stream<Path> files = Files.walk(stateDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp folder is not worth failing a test for
    }
  }
}
