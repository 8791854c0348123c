package dev.meshbone.validator.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshbone.events.ChangeType;
import dev.meshbone.events.ContractViolation;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.events.ViolationCode;
import dev.meshbone.events.ViolationReason;
import dev.meshbone.serde.MeshEventSerde;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.validator.ValidatorApp;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control-event section in the running validator, on a real broker: one domain's product
 * lifecycle lands merged and versioned on {@code mesh.products}, foreign and illegal events on
 * {@code mesh.violations}, quality results on {@code mesh.quality}. The mesh topics are shared with
 * other tests, so everything read is filtered to this test's own domain.
 */
@WithKafka
class ControlEventsIT {
  private final MeshTopics topics = MeshTopics.defaults();

  @Test
  void shouldValidateADomainsControlEventsThroughTheRunningValidator(
      KafkaBroker broker, @TempDir Path stateDir) throws Exception {
    String domain = KafkaBroker.unique("ctl");
    String otherDomain = KafkaBroker.unique("other");
    String product = domain + ".enrollments";
    String visits = domain + ".visits";
    // Created before the validator starts, so its first assignment already has them.
    broker.createTopics(
        DomainTopics.CONTROL_PARTITIONS,
        DomainTopics.productEvents(domain),
        DomainTopics.qualityEvents(domain));

    try (var validator = ValidatorApp.start(properties(broker, stateDir));
        var producer = new KafkaProducer<byte[], byte[]>(broker.producerConfig());
        var consumer =
            new KafkaConsumer<byte[], byte[]>(
                broker.consumerConfig(KafkaBroker.unique("control-it")))) {
      consumer.subscribe(
          List.of(topics.products.name(), topics.violations.name(), topics.quality.name()));
      var seen = new Seen(domain);

      // CREATED, a second CREATED, and a producer's retry of the first (dropped, no violation).
      var created = Events.created(product).setDomain(domain).build();
      publish(producer, domain, product, created);
      publish(producer, domain, product, Events.created(product).setDomain(domain).build());
      publish(producer, domain, product, created);
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                seen.poll(consumer);
                assertThat(seen.products).hasSize(1);
                assertThat(seen.violations).hasSize(1);
              });
      // The same outcomes as metrics (at least: other tests' domains share the broker).
      assertThat(controlEvents(validator, "kind=\"product-events\",outcome=\"accepted\""))
          .isGreaterThanOrEqualTo(1);
      assertThat(
              controlEvents(
                  validator,
                  "kind=\"product-events\",outcome=\"refused\",reason=\"DUPLICATE_CREATED\""))
          .isGreaterThanOrEqualTo(1);

      // An UPDATED under another key, on another partition than the product's: the repartition by
      // product id still brings it to the product's state.
      int productPartition =
          Utils.toPositive(Utils.murmur2(bytes(product))) % DomainTopics.CONTROL_PARTITIONS;
      producer
          .send(
              new ProducerRecord<>(
                  DomainTopics.productEvents(domain),
                  (productPartition + 1) % DomainTopics.CONTROL_PARTITIONS,
                  bytes("not-the-product-id"),
                  MeshEventSerde.of(DataProductEvent.class)
                      .serialize(null, Events.updated(product).setDomain(domain).build())))
          .get();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                seen.poll(consumer);
                assertThat(seen.products).hasSize(2);
              });

      // The rest of the lifecycle, an event after RETIRED, an event for another domain's product,
      // garbage, and a second product.
      Instant sunset = Instant.now().plus(Duration.ofDays(365)).truncatedTo(ChronoUnit.MILLIS);
      publish(
          producer,
          domain,
          product,
          Events.deprecated(product).setDomain(domain).setSunsetAt(sunset).build());
      publish(producer, domain, product, Events.retired(product).setDomain(domain).build());
      publish(producer, domain, product, Events.updated(product).setDomain(domain).build());
      String foreign = otherDomain + ".shipments";
      publish(producer, domain, foreign, Events.created(foreign).setDomain(domain).build());
      producer
          .send(
              new ProducerRecord<>(
                  DomainTopics.productEvents(domain),
                  bytes("garbage-" + domain),
                  "definitely not avro".getBytes(StandardCharsets.UTF_8)))
          .get();
      publish(producer, domain, visits, Events.created(visits).setDomain(domain).build());

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                seen.poll(consumer);
                assertThat(seen.products).hasSize(5);
                assertThat(seen.violations).hasSize(4);
              });

      var lifecycle = seen.products.stream().filter(p -> p.getProductId().equals(product)).toList();
      assertThat(lifecycle)
          .extracting(DataProductEvent::getType)
          .containsExactly(
              ChangeType.CREATED, ChangeType.UPDATED, ChangeType.DEPRECATED, ChangeType.RETIRED);
      assertThat(lifecycle)
          .extracting(DataProductEvent::getVersion)
          .containsExactly(1L, 2L, 3L, 4L);
      assertThat(lifecycle)
          .extracting(DataProductEvent::getStatus)
          .containsExactly(
              LifecycleStatus.ACTIVE,
              LifecycleStatus.ACTIVE,
              LifecycleStatus.DEPRECATED,
              LifecycleStatus.RETIRED);
      DataProductEvent retired = lifecycle.get(3);
      assertThat(retired.getDescriptor().getDescription()).isEqualTo("Now with site ids");
      assertThat(retired.getDescriptor().getSunsetAt()).isEqualTo(sunset);

      assertThat(seen.violations)
          .extracting(v -> v.getReasons().stream().map(ViolationReason::getCode).toList())
          .containsExactlyInAnyOrder(
              List.of(ViolationCode.DUPLICATE_CREATED),
              List.of(ViolationCode.ILLEGAL_LIFECYCLE),
              List.of(ViolationCode.WRONG_DOMAIN),
              List.of(ViolationCode.DECODE_FAILED));
      assertThat(seen.violations)
          .allSatisfy(
              v -> assertThat(v.getSourceTopic()).isEqualTo(DomainTopics.productEvents(domain)));

      // Quality results, once the product they are about is known; stamped a day ahead, which
      // the clock skew set for this validator (two days) allows.
      var quality =
          Events.quality(visits)
              .setDomain(domain)
              .setOccurredAt(Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MILLIS))
              .build();
      producer
          .send(
              new ProducerRecord<>(
                  DomainTopics.qualityEvents(domain),
                  bytes(visits),
                  MeshEventSerde.of(QualityEvent.class).serialize(null, quality)))
          .get();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                seen.poll(consumer);
                assertThat(seen.quality).containsExactly(quality);
              });
    }
  }

  /**
   * The sum of meshbone_validator_control_events_total lines with {@code labels}, from /prometheus.
   */
  private static double controlEvents(ApplicationContext service, String labels) throws Exception {
    int port = service.getBean(EmbeddedServer.class).getPort();
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/prometheus"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    double sum = 0;
    Matcher m =
        Pattern.compile("meshbone_validator_control_events_total\\{([^}]*)\\} ([0-9.eE+-]+)")
            .matcher(body);
    while (m.find()) {
      // Prometheus sorts labels by name: kind, outcome, reason.
      if (m.group(1).contains(labels)) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  private static Map<String, Object> properties(KafkaBroker broker, Path stateDir) {
    var props = new HashMap<String, Object>();
    broker.clientConfig().forEach((key, value) -> props.put("kafka." + key, value));
    props.put("micronaut.server.port", -1);
    // The validator sees a new product's topics at its next metadata refresh (10 s by default).
    props.put("kafka.streams.consumer.metadata.max.age.ms", 1000);
    // The services refuse to start without a credential source unless told to run open.
    props.put("meshbone.security.enabled", false);
    props.put("kafka.streams.application.id", KafkaBroker.unique("control-it"));
    props.put("meshbone.state-dir", stateDir.toString());
    props.put(ControlSettings.MAX_CLOCK_SKEW_CONFIG, "2d");
    return props;
  }

  private static void publish(
      KafkaProducer<byte[], byte[]> producer, String domain, String key, DataProductEvent event)
      throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                DomainTopics.productEvents(domain),
                bytes(key),
                MeshEventSerde.of(DataProductEvent.class).serialize(null, event)))
        .get();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** What the validator wrote about this test's domain, in the order read. */
  private final class Seen {
    private final String domain;
    final List<DataProductEvent> products = new ArrayList<>();
    final List<ContractViolation> violations = new ArrayList<>();
    final List<QualityEvent> quality = new ArrayList<>();

    Seen(String domain) {
      this.domain = domain;
    }

    void poll(KafkaConsumer<byte[], byte[]> consumer) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        String topic = r.topic();
        if (topic.equals(topics.products.name())) {
          var p = topics.products.valueSerde().deserializer().deserialize(topic, r.value());
          if (p.getProductId().startsWith(domain + ".")) {
            products.add(p);
          }
        } else if (topic.equals(topics.violations.name())) {
          var v = topics.violations.valueSerde().deserializer().deserialize(topic, r.value());
          if (v.getSourceDomain().equals(domain)) {
            violations.add(v);
          }
        } else if (topic.equals(topics.quality.name())) {
          var q = topics.quality.valueSerde().deserializer().deserialize(topic, r.value());
          if (q.getProductId().startsWith(domain + ".")) {
            quality.add(q);
          }
        }
      }
    }
  }
}
