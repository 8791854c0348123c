package dev.meshbone.quality;

import dev.meshbone.events.ChangeType;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.IssueAction;
import dev.meshbone.events.IssueDecision;
import dev.meshbone.events.IssueKind;
import dev.meshbone.events.IssueSeverity;
import dev.meshbone.events.IssueState;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.Owner;
import dev.meshbone.events.ProductDescriptor;
import dev.meshbone.events.ProductHealth;
import dev.meshbone.events.ProductIssue;
import dev.meshbone.events.ProductStats;
import dev.meshbone.events.QualityAlert;
import dev.meshbone.events.QualityDimension;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.events.ServiceLevels;
import dev.meshbone.runtime.KafkaSettings;
import dev.meshbone.runtime.MeshSettings;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.testkit.TestDirs;
import dev.meshbone.topics.MeshTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The real {@link QualityTopology} in a {@link TopologyTestDriver}, with helpers to publish
 * products, quality events and stats, and to read status and alerts. The wall clock starts at
 * {@link #T0}; event times are given relative to it.
 */
final class MonitorDriver implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  final MeshTopics topics = MeshTopics.defaults();
  final CountingListener listener = new CountingListener();
  final TopologyTestDriver driver;
  final TestInputTopic<String, DataProductEvent> products;
  final TestInputTopic<String, QualityEvent> quality;
  final TestInputTopic<String, ProductStats> stats;
  final TestInputTopic<String, byte[]> rawQuality;
  final TestInputTopic<String, byte[]> rawProducts;
  final TestInputTopic<String, byte[]> rawStats;
  final TestInputTopic<String, IssueDecision> issues;
  final TestInputTopic<String, byte[]> rawIssues;
  final TestOutputTopic<String, ProductHealth> status;
  final TestOutputTopic<String, QualityAlert> alerts;
  private final List<KeyValue<String, ProductHealth>> statusSeen = new ArrayList<>();
  private final List<QualityAlert> alertsSeen = new ArrayList<>();
  private Instant wallClock = T0;

  /** Windows of 5 minutes hopping by 1 minute, 1 minute of grace, 10 s punctuation. */
  static QualitySettings settings() {
    var config = new QualityConfig();
    config.setWindow(Duration.ofMinutes(5));
    config.setAdvance(Duration.ofMinutes(1));
    config.setGrace(Duration.ofMinutes(1));
    config.setPunctuationInterval(Duration.ofSeconds(10));
    config.setClearAfter(Duration.ofSeconds(30));
    config.setPassRateMargin(0.1);
    config.setResponseSloCritical(Duration.ofHours(2));
    config.setResponseSloHigh(Duration.ofHours(4));
    return config.toSettings();
  }

  MonitorDriver() {
    this(settings());
  }

  MonitorDriver(QualitySettings settings) {
    // The service's own Streams config (no application.server: port -1), state in a folder of its
    // own.
    var app = new QualityStreamsApp(topics, settings, listener, "localhost", -1);
    var props =
        MeshStreams.streamsConfig(
            app,
            new KafkaSettings(Map.of("bootstrap.servers", "unused:9092")),
            MeshSettings.DEFAULTS.withStateDir(Path.of(TestDirs.newStateDir())));
    driver = new TopologyTestDriver(app.topology(), props, T0);
    var key = new StringSerializer();
    products =
        driver.createInputTopic(
            topics.products.name(), key, topics.products.valueSerde().serializer());
    quality =
        driver.createInputTopic(
            topics.quality.name(), key, topics.quality.valueSerde().serializer());
    stats =
        driver.createInputTopic(
            topics.productStats.name(), key, topics.productStats.valueSerde().serializer());
    rawQuality = driver.createInputTopic(topics.quality.name(), key, new ByteArraySerializer());
    rawProducts = driver.createInputTopic(topics.products.name(), key, new ByteArraySerializer());
    rawStats = driver.createInputTopic(topics.productStats.name(), key, new ByteArraySerializer());
    issues =
        driver.createInputTopic(topics.issues.name(), key, topics.issues.valueSerde().serializer());
    rawIssues = driver.createInputTopic(topics.issues.name(), key, new ByteArraySerializer());
    status =
        driver.createOutputTopic(
            topics.qualityStatus.name(),
            topics.qualityStatus.keySerde().deserializer(),
            topics.qualityStatus.valueSerde().deserializer());
    alerts =
        driver.createOutputTopic(
            topics.qualityAlerts.name(),
            topics.qualityAlerts.keySerde().deserializer(),
            topics.qualityAlerts.valueSerde().deserializer());
  }

  static ServiceLevels.Builder slos() {
    return ServiceLevels.newBuilder();
  }

  /** Publishes the product as the validator writes it to mesh.products. */
  void product(String id, ServiceLevels slos) {
    product(id, slos, LifecycleStatus.ACTIVE);
  }

  void product(String id, ServiceLevels slos, LifecycleStatus status) {
    products.pipeInput(id, productEvent(id, slos, status), wallClock);
  }

  static DataProductEvent productEvent(String id, ServiceLevels slos, LifecycleStatus status) {
    return DataProductEvent.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setProductId(id)
        .setDomain(id.substring(0, id.indexOf('.')))
        .setType(status == LifecycleStatus.RETIRED ? ChangeType.RETIRED : ChangeType.CREATED)
        .setOccurredAt(T0)
        .setDescriptor(
            ProductDescriptor.newBuilder()
                .setName(id)
                .setOwner(Owner.newBuilder().setTeam("team").build())
                .setSlos(slos)
                .build())
        .setStatus(status)
        .setVersion(1)
        .build();
  }

  /** A quality event of {@code check} at {@code T0 + offset}. */
  static QualityEvent.Builder check(String id, String check, boolean passed, Duration offset) {
    return QualityEvent.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setProductId(id)
        .setDomain(id.substring(0, id.indexOf('.')))
        .setCheckName(check)
        .setDimension(QualityDimension.COMPLETENESS)
        .setPassed(passed)
        .setOccurredAt(T0.plus(offset));
  }

  void event(QualityEvent.Builder event) {
    QualityEvent e = event.build();
    quality.pipeInput(e.getProductId(), e, wallClock);
  }

  void pass(String id, Duration offset) {
    event(check(id, "not-null", true, offset));
  }

  void fail(String id, Duration offset) {
    event(check(id, "not-null", false, offset));
  }

  void stats(String id, long valid, long invalid, Duration offset, Duration lastValidOffset) {
    stats.pipeInput(
        id,
        ProductStats.newBuilder()
            .setProductId(id)
            .setValid(valid)
            .setInvalid(invalid)
            .setLastValidAt(lastValidOffset == null ? null : T0.plus(lastValidOffset))
            .setLastRecordAt(T0.plus(offset))
            .setUpdatedAt(T0.plus(offset))
            .build(),
        wallClock);
  }

  /**
   * An accepted decision on issue {@code issueId} of product {@code id}, leaving it in {@code
   * state}, decided now (on the driver's wall clock); the issue opened at {@code openedAt}.
   */
  void issue(
      String id, String issueId, IssueSeverity severity, IssueState state, Instant openedAt) {
    issue(
        id,
        issueId,
        severity,
        state,
        openedAt,
        state == IssueState.ACKNOWLEDGED ? wallClock : null);
  }

  /**
   * As above, acknowledged at {@code acknowledgedAt} (null: never); a RESOLVED or WONT_FIX issue
   * closes now.
   */
  void issue(
      String id,
      String issueId,
      IssueSeverity severity,
      IssueState state,
      Instant openedAt,
      Instant acknowledgedAt) {
    boolean closed = state == IssueState.RESOLVED || state == IssueState.WONT_FIX;
    var issue =
        ProductIssue.newBuilder()
            .setIssueId(issueId)
            .setProductId(id)
            .setReporterDomain("pharmacovigilance")
            .setOwnerDomain(id.substring(0, id.indexOf('.')))
            .setKind(IssueKind.PROBLEM)
            .setTitle("t")
            .setDescription("d")
            .setSeverity(severity)
            .setState(state)
            .setOpenedAt(openedAt)
            .setAcknowledgedAt(acknowledgedAt)
            .setClosedAt(closed ? wallClock : null)
            .setUpdatedAt(wallClock)
            .build();
    issues.pipeInput(
        id,
        IssueDecision.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setProductId(id)
            .setIssueId(issueId)
            .setActor(state == IssueState.OPEN ? "pharmacovigilance" : issue.getOwnerDomain())
            .setAction(state == IssueState.OPEN ? IssueAction.OPEN : IssueAction.CHANGE_STATE)
            .setAccepted(true)
            .setIssue(issue)
            .setDecidedAt(wallClock)
            .build(),
        wallClock);
  }

  /** The driver's wall clock. */
  Instant now() {
    return wallClock;
  }

  /** Moves the wall clock (and so runs due punctuations). */
  void advanceWallClock(Duration by) {
    wallClock = wallClock.plus(by);
    driver.advanceWallClockTime(by);
  }

  /** Every status record written so far (reads the output topic). */
  List<KeyValue<String, ProductHealth>> statusRecords() {
    statusSeen.addAll(status.readKeyValuesToList());
    return statusSeen;
  }

  /** The last status written for a product, or null (also null after a tombstone). */
  ProductHealth lastStatus(String id) {
    ProductHealth last = null;
    for (var kv : statusRecords()) {
      if (kv.key.equals(id)) {
        last = kv.value;
      }
    }
    return last;
  }

  List<QualityAlert> alertRecords() {
    alertsSeen.addAll(alerts.readValuesToList());
    return alertsSeen;
  }

  ProductHealth storedHealth(String id) {
    return driver.<String, ProductHealth>getKeyValueStore(QualityTopology.HEALTH_STORE).get(id);
  }

  List<ProductHealth> history(String id) {
    List<ProductHealth> h =
        driver.<String, List<ProductHealth>>getKeyValueStore(QualityTopology.HISTORY_STORE).get(id);
    return h == null ? List.of() : h;
  }

  @Override
  public void close() {
    driver.close();
  }

  /** Counts what the topology reports. */
  static final class CountingListener implements MonitorListener {
    final Map<Refusal, AtomicInteger> refused = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();

    @Override
    public void accepted(String topic) {
      accepted.computeIfAbsent(topic, t -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void refused(String topic, Refusal reason, String productId, String detail) {
      refused.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
    }

    int refusals(Refusal reason) {
      AtomicInteger n = refused.get(reason);
      return n == null ? 0 : n.get();
    }

    int totalRefusals() {
      return refused.values().stream().mapToInt(AtomicInteger::get).sum();
    }
  }
}
