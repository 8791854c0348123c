package dev.meshbone.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.events.AlertState;
import dev.meshbone.events.ChangeType;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.Owner;
import dev.meshbone.events.ProductDescriptor;
import dev.meshbone.events.ProductHealth;
import dev.meshbone.events.QualityAlert;
import dev.meshbone.events.QualityDimension;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.events.ServiceLevels;
import dev.meshbone.quality.MonitorListener;
import dev.meshbone.quality.QualityApp;
import dev.meshbone.quality.QualityConfig;
import dev.meshbone.quality.QualitySettings;
import dev.meshbone.quality.QualityStreamsApp;
import dev.meshbone.runtime.KafkaSettings;
import dev.meshbone.runtime.MeshSettings;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import dev.meshbone.topics.MeshTopics;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * quality-monitor SIGKILLed in the middle of a stream of quality results and started again on the
 * same state: each product's health ends where a monitor that never crashed (the same topology in a
 * {@link TopologyTestDriver}, fed the same records) ends, and its alerts, for a {@code
 * read_committed} reader, are that monitor's alerts: none raised or cleared twice, none lost.
 *
 * <p>Short windows (10 s hopping by 1 s of event time) and no hysteresis delays, so the verdicts
 * depend only on the records and their order, not on when the wall clock ran.
 */
@WithKafka
class QualityCrashFaultIT {
  private static final int PRODUCTS = FaultSizes.pick(2, 4);
  private static final int EVENTS = FaultSizes.pick(600, 1_500); // per product, 100 ms apart
  // Events between a product's flips from passing to failing and back: 15 s of event time in the
  // default run (longer than the 10 s window, so each phase fills a window), 30 s in the long run.
  private static final int PHASE = FaultSizes.pick(150, 300);

  private final MeshTopics topics = MeshTopics.defaults();
  private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 6);
  private final String domain = "qc" + run;

  @Test
  void shouldEndWithTheSameHealthAndAlertsAsAMonitorThatNeverCrashed(
      KafkaBroker broker, @TempDir Path work) throws Exception {
    long begin = System.nanoTime();
    Instant base =
        Instant.now()
            .minus(Duration.ofMinutes(10))
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    List<String> products = new ArrayList<>();
    for (int p = 0; p < PRODUCTS; p++) {
      products.add(domain + ".product-" + p);
    }
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (String id : products) {
      records.add(
          record(
              topics.products.name(),
              id,
              topics.products.valueSerde().serializer().serialize("", product(id))));
    }
    // Interleaved across products; each flips between mostly passing and mostly failing every
    // PHASE events, so every product raises and clears its alert at least once.
    for (int i = 0; i < EVENTS; i++) {
      for (int p = 0; p < PRODUCTS; p++) {
        boolean failing = ((i + 70 * p) / PHASE) % 2 == 1;
        boolean passed = failing ? i % 3 == 0 : i % 17 != 0;
        QualityEvent e = event(products.get(p), base.plusMillis(100L * i), passed);
        records.add(
            record(
                topics.quality.name(),
                products.get(p),
                topics.quality.valueSerde().serializer().serialize("", e)));
      }
    }

    String appId = KafkaBroker.unique("crash-quality");
    Path state = work.resolve("quality");
    // The child JVM starts while the reference monitor runs here.
    Process monitor = start(broker, appId, state, "quality-1");
    try (var producer =
        new KafkaProducer<String, byte[]>(
            producerConfig(broker), new StringSerializer(), new ByteArraySerializer())) {
      Expected expected = neverCrashed(records, work.resolve("reference"));
      assertThat(expected.alerts.values().stream().mapToInt(List::size).sum())
          .as("the reference raised and cleared alerts")
          .isGreaterThanOrEqualTo(2 * PRODUCTS);

      // The products first: a quality event of a product the monitor does not know yet is
      // refused (mesh.products and mesh.quality are read side by side, not in send order).
      for (int i = 0; i < PRODUCTS; i++) {
        producer.send(records.get(i));
      }
      producer.flush();
      long known = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      Observed initial = observe(broker, products);
      while (initial.health.size() < PRODUCTS && System.nanoTime() < known) {
        TimeUnit.MILLISECONDS.sleep(500);
        initial = observe(broker, products);
      }
      assertThat(initial.health).as("health of the new products").hasSize(PRODUCTS);
      int third = records.size() / 3;
      int atKill = -1;
      for (int i = PRODUCTS; i < records.size(); i++) {
        producer.send(records.get(i));
        if (i == third) {
          // Once the monitor is working through the quality results (committed output of
          // them), a burst, and the kill while it works through that; more comes while it is
          // down.
          producer.flush();
          long up = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
          Observed working = observe(broker, products);
          while (working.records <= initial.records && System.nanoTime() < up) {
            TimeUnit.MILLISECONDS.sleep(200);
            working = observe(broker, products);
          }
          assertThat(working.records)
              .as("committed outputs before the kill")
              .isGreaterThan(initial.records);
        }
        if (i == 2 * third) {
          producer.flush();
          monitor.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          atKill = observe(broker, products).records;
          monitor = start(broker, appId, state, "quality-2");
        }
      }
      producer.flush();

      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      Observed seen = observe(broker, products);
      while (!seen.health.equals(expected.health) && System.nanoTime() < deadline) {
        TimeUnit.SECONDS.sleep(1);
        seen = observe(broker, products);
      }
      assertThat(seen.health).as("each product's last health").isEqualTo(expected.health);
      assertThat(seen.alerts).as("each product's alerts, in order").isEqualTo(expected.alerts);
      assertThat(seen.alertIdsRepeated).as("alert ids raised or cleared twice").isEmpty();
      // The kill landed mid-stream: results went in before and after it (by construction), and
      // the restarted monitor committed output of its own.
      assertThat(seen.records).as("committed outputs after the restart").isGreaterThan(atKill);
      System.out.printf(
          "quality crash: %d products x %d results, SIGKILL after %d of them with %d outputs"
              + " committed, %d at the end; test %.0f s%n",
          PRODUCTS,
          EVENTS,
          2 * third - PRODUCTS + 1,
          atKill,
          seen.records,
          (System.nanoTime() - begin) / 1e9);
    } finally {
      monitor.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private record Expected(Map<String, String> health, Map<String, List<String>> alerts) {}

  /** What a read_committed reader finds; {@code records}: this run's status and alert records. */
  private record Observed(
      Map<String, String> health,
      Map<String, List<String>> alerts,
      List<String> alertIdsRepeated,
      int records) {}

  /** The monitor's settings, in the child and the reference alike. */
  private static Map<String, String> settings() {
    return Map.of(
        "window", "10s",
        "advance", "1s",
        "grace", "5s",
        "raise-after", "0s",
        "clear-after", "0s");
  }

  private Expected neverCrashed(List<ProducerRecord<String, byte[]>> records, Path stateDir) {
    var config = new QualityConfig();
    config.setWindow(Duration.ofSeconds(10));
    config.setAdvance(Duration.ofSeconds(1));
    config.setGrace(Duration.ofSeconds(5));
    config.setRaiseAfter(Duration.ZERO);
    config.setClearAfter(Duration.ZERO);
    QualitySettings quality = config.toSettings();
    var app = new QualityStreamsApp(topics, quality, MonitorListener.NONE, "localhost", -1);
    var props =
        MeshStreams.streamsConfig(
            app,
            new KafkaSettings(Map.of("bootstrap.servers", "unused:9092")),
            MeshSettings.DEFAULTS.withStateDir(stateDir));
    Map<String, String> health = new TreeMap<>();
    Map<String, List<String>> alerts = new TreeMap<>();
    try (var driver = new TopologyTestDriver(app.topology(), props, Instant.now())) {
      var products =
          driver.createInputTopic(
              topics.products.name(), new StringSerializer(), new ByteArraySerializer());
      var quality2 =
          driver.createInputTopic(
              topics.quality.name(), new StringSerializer(), new ByteArraySerializer());
      for (var r : records) {
        (r.topic().equals(topics.products.name()) ? products : quality2)
            .pipeInput(r.key(), r.value());
      }
      var status =
          driver.createOutputTopic(
              topics.qualityStatus.name(),
              topics.qualityStatus.keySerde().deserializer(),
              topics.qualityStatus.valueSerde().deserializer());
      status.readKeyValuesToList().forEach(kv -> health.put(kv.key, health(kv.value)));
      var out =
          driver.createOutputTopic(
              topics.qualityAlerts.name(),
              topics.qualityAlerts.keySerde().deserializer(),
              topics.qualityAlerts.valueSerde().deserializer());
      out.readValuesToList()
          .forEach(
              a -> alerts.computeIfAbsent(a.getProductId(), k -> new ArrayList<>()).add(alert(a)));
    }
    return new Expected(health, alerts);
  }

  private Observed observe(KafkaBroker broker, List<String> products) {
    Map<String, String> health = new TreeMap<>();
    Map<String, List<String>> alerts = new TreeMap<>();
    Map<String, Integer> ids = new TreeMap<>();
    var records = new java.util.concurrent.atomic.AtomicInteger();
    ChildService.readAll(
        broker,
        topics.qualityStatus.name(),
        (key, bytes) -> {
          if (products.contains(key) && bytes != null) {
            records.incrementAndGet();
            health.put(
                key,
                health(topics.qualityStatus.valueSerde().deserializer().deserialize("", bytes)));
          }
        });
    ChildService.readAll(
        broker,
        topics.qualityAlerts.name(),
        (key, bytes) -> {
          if (products.contains(key) && bytes != null) {
            QualityAlert a =
                topics.qualityAlerts.valueSerde().deserializer().deserialize("", bytes);
            records.incrementAndGet();
            alerts.computeIfAbsent(key, k -> new ArrayList<>()).add(alert(a));
            ids.merge(a.getAlertId() + " " + a.getState(), 1, Integer::sum);
          }
        });
    List<String> repeated = new ArrayList<>();
    ids.forEach(
        (id, n) -> {
          if (n > 1) {
            repeated.add(id + " x" + n);
          }
        });
    return new Observed(health, alerts, repeated, records.get());
  }

  private static String health(ProductHealth h) {
    return h.getState() + " passRate=" + h.getPassRate() + " " + h.getReasons();
  }

  private static String alert(QualityAlert a) {
    return a.getState()
        + " "
        + a.getSlo()
        + " "
        + (a.getState() == AlertState.RAISED ? a.getObserved() : "");
  }

  private DataProductEvent product(String id) {
    return DataProductEvent.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setProductId(id)
        .setDomain(domain)
        .setType(ChangeType.CREATED)
        .setOccurredAt(Instant.now())
        .setDescriptor(
            ProductDescriptor.newBuilder()
                .setName(id)
                .setOwner(Owner.newBuilder().setTeam("team").build())
                .setSlos(ServiceLevels.newBuilder().setMinPassRate(0.9).build())
                .build())
        .setStatus(LifecycleStatus.ACTIVE)
        .setVersion(1)
        .build();
  }

  private QualityEvent event(String id, Instant at, boolean passed) {
    return QualityEvent.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setProductId(id)
        .setDomain(domain)
        .setCheckName("not-null")
        .setDimension(QualityDimension.COMPLETENESS)
        .setPassed(passed)
        .setOccurredAt(at)
        .build();
  }

  private static ProducerRecord<String, byte[]> record(String topic, String key, byte[] value) {
    return new ProducerRecord<>(topic, key, value);
  }

  private static Map<String, Object> producerConfig(KafkaBroker broker) {
    var config = new java.util.HashMap<String, Object>(broker.clientConfig());
    config.put("enable.idempotence", true);
    config.put("acks", "all");
    return config;
  }

  /** quality-monitor in a child JVM, the same static member each time, on a free port. */
  private static Process start(KafkaBroker broker, String appId, Path stateDir, String name)
      throws Exception {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Map<String, String> properties = new TreeMap<>();
    settings().forEach((k, v) -> properties.put("meshbone.quality." + k, v));
    return ChildService.start(
        QualityApp.class,
        broker.clientConfig(),
        appId,
        stateDir,
        port,
        name,
        "quality",
        properties);
  }
}
