package dev.meshbone.runtime;

import dev.meshbone.topics.TopicBootstrapper;
import dev.meshbone.topics.TopicContradictionException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the service's {@link StreamsApp}: at start it makes the app's topics exist (waiting for the
 * cluster up to {@code meshbone.startup-timeout}), then starts Kafka Streams; at shutdown it closes
 * Streams cleanly so an exactly-once app commits or aborts its open transaction.
 *
 * <p>A topic that contradicts its declaration stops the service at start with the reason: running
 * on it would lose data or order.
 */
@Singleton
@Requires(beans = StreamsApp.class)
public class MeshStreams {
  private static final Logger LOG = LoggerFactory.getLogger(MeshStreams.class);

  private final StreamsApp app;
  private final KafkaSettings kafka;
  private final MeshSettings settings;
  private final KafkaStreams streams;
  private final String applicationId;
  private final Optional<KafkaMeters> streamsMeters;
  private static final int MAX_REPLACEMENTS = 3;
  private volatile boolean hasBeenRunning;
  private final Optional<StreamsCompanion> companion;
  private final java.util.ArrayDeque<Long> recentDeaths = new java.util.ArrayDeque<>();

  public MeshStreams(
      StreamsApp app, KafkaSettings kafka, MeshSettings settings, Optional<MeterRegistry> meters) {
    this.app = app;
    this.kafka = kafka;
    this.settings = settings;
    Properties props = streamsConfig(app, kafka, settings);
    this.applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    var topology = app.topology(applicationId);
    this.streams =
        app.clientSupplier(applicationId)
            .map(clients -> new KafkaStreams(topology, props, clients))
            .orElseGet(() -> new KafkaStreams(topology, props));
    this.companion = app.companion(applicationId, props, streams);
    this.streams.setUncaughtExceptionHandler(this::onStreamThreadDeath);
    // Kafka Streams' own metrics (process rates, commit latency, lag...) on /prometheus.
    this.streamsMeters = meters.map(registry -> KafkaMeters.bind(this::metrics, registry));
    // 1 while RUNNING, else 0: what the SRE package's StreamsAppNotRunning alert watches.
    meters.ifPresent(
        registry ->
            io.micrometer.core.instrument.Gauge.builder(
                    "meshbone.streams.running",
                    streams,
                    s -> s.state() == KafkaStreams.State.RUNNING ? 1 : 0)
                .tag("app", app.name())
                .description("1 while the service's Kafka Streams application is RUNNING, else 0")
                .register(registry));
    this.streams.setStateListener(
        (newState, oldState) -> {
          if (newState == KafkaStreams.State.RUNNING && !hasBeenRunning) {
            hasBeenRunning = true;
            // The global stores are loaded: what runs beside the topology may read them now.
            companion.ifPresent(StreamsCompanion::start);
          }
        });
  }

  /** Kafka Streams' metrics, and those of the clients of what runs beside it. */
  private Map<MetricName, ? extends Metric> metrics() {
    if (companion.isEmpty()) {
      return streams.metrics();
    }
    Map<MetricName, Metric> all = new HashMap<>(streams.metrics());
    all.putAll(companion.get().metrics());
    return all;
  }

  /**
   * Whether the app has reached RUNNING at least once: until then a REBALANCING app is still
   * starting (restoring state, waiting for its tasks); after, a rebalance is routine.
   */
  public boolean hasBeenRunning() {
    return hasBeenRunning;
  }

  /**
   * A stream thread that dies is replaced, so a transient failure heals; but a failure that repeats
   * (a bad config, a bug) would replace threads forever, so after {@value #MAX_REPLACEMENTS} deaths
   * within a minute the app stops and its health turns DOWN.
   */
  private StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse onStreamThreadDeath(
      Throwable e) {
    long now = System.nanoTime();
    synchronized (recentDeaths) {
      recentDeaths.addLast(now);
      while (!recentDeaths.isEmpty() && now - recentDeaths.peekFirst() > 60_000_000_000L) {
        recentDeaths.removeFirst();
      }
      if (recentDeaths.size() > MAX_REPLACEMENTS) {
        LOG.error(
            "{}: stream threads keep dying ({} in a minute); stopping Kafka Streams",
            app.name(),
            recentDeaths.size(),
            e);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      }
    }
    LOG.error("{}: a stream thread died; replacing it", app.name(), e);
    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /** The Streams config: the app's defaults, then {@code kafka.*} and {@code kafka.streams.*}. */
  public static Properties streamsConfig(
      StreamsApp app, KafkaSettings kafka, MeshSettings settings) {
    return streamsConfig(app.name(), app.applicationId(), app.streamsDefaults(), kafka, settings);
  }

  /**
   * The Streams config of the app called {@code name}, as the service runs it; TopologyTestDriver
   * tests use it too, with the app's own defaults, so they run the settings the service runs.
   */
  public static Properties streamsConfig(
      String name,
      String applicationId,
      Map<String, Object> appDefaults,
      KafkaSettings kafka,
      MeshSettings settings) {
    Map<String, Object> config = new HashMap<>();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    config.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().resolve(name).toString());
    config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) settings.replicationFactor());
    config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    if (settings.instanceId() != null) {
      // Static membership: the main consumers only (the restore and global consumers have no
      // group). The classic rebalance protocol: Streams 4.3's own protocol refuses static members.
      config.put(
          StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
          settings.instanceId());
    }
    config.putAll(appDefaults);
    config.putAll(kafka.streams());
    config.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    Properties props = new Properties();
    props.putAll(config);
    return props;
  }

  @EventListener
  void onStartup(StartupEvent event) {
    ensureTopics();
    LOG.info("{}: starting Kafka Streams application {}", app.name(), applicationId);
    streams.start();
  }

  private void ensureTopics() {
    Duration timeout = settings.startupTimeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Object> adminConfig = new HashMap<>(kafka.admin());
    adminConfig.putIfAbsent("bootstrap.servers", kafka.bootstrapServers());
    try (Admin admin = Admin.create(adminConfig)) {
      var bootstrapper =
          new TopicBootstrapper(admin, settings.replicationFactor(), Duration.ofSeconds(10));
      while (true) {
        try {
          if (settings.createTopics()) {
            bootstrapper.ensure(app.topics());
          } else {
            bootstrapper.check(app.topics());
          }
          bootstrapper.ensure(app.ownTopics(applicationId));
          return;
        } catch (TopicContradictionException e) {
          throw e;
        } catch (KafkaException e) {
          if (System.nanoTime() > deadline) {
            throw new KafkaException(
                app.name()
                    + " cannot reach the Kafka cluster at "
                    + kafka.bootstrapServers()
                    + " within "
                    + timeout.toSeconds()
                    + " s (set kafka.bootstrap.servers or KAFKA_BOOTSTRAP_SERVERS): "
                    + e.getMessage(),
                e);
          }
          LOG.warn("{}: Kafka not ready yet ({}); retrying", app.name(), e.getMessage());
          sleep(Duration.ofSeconds(1));
        }
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while waiting for Kafka", e);
    }
  }

  @EventListener
  void onShutdown(ShutdownEvent event) {
    close();
  }

  @PreDestroy
  void close() {
    streamsMeters.ifPresent(KafkaMeters::close);
    companion.ifPresent(StreamsCompanion::close);
    if (streams.state() != KafkaStreams.State.NOT_RUNNING) {
      LOG.info("{}: closing Kafka Streams", app.name());
      // Leave the group so a restarted instance gets its tasks at once instead of waiting out the
      // session timeout of this one.
      streams.close(
          CloseOptions.timeout(Duration.ofSeconds(30))
              .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
  }

  /** The running Streams instance, for interactive queries and metrics. */
  public KafkaStreams streams() {
    return streams;
  }

  /** What runs beside the topology, if anything ({@link StreamsApp#companion}). */
  public Optional<StreamsCompanion> companion() {
    return companion;
  }

  public StreamsApp app() {
    return app;
  }

  public String applicationId() {
    return applicationId;
  }
}
