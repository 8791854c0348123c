package dev.meshbone.validator.records;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.runtime.KafkaClientMeters;
import dev.meshbone.runtime.KafkaSettings;
import dev.meshbone.runtime.MeshSettings;
import dev.meshbone.serde.MeshEventSerde;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.ProductId;
import dev.meshbone.topics.TopicBootstrapper;
import dev.meshbone.topics.TopicSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every product's three topics exist, with their declared configs, outside the stream
 * threads: a background thread reads {@code mesh.products} (every product the control section
 * accepted) and creates what is missing, in one batch for all products: for a declared product its
 * ingest, validated and dead-letter topics; for an ingest topic a domain created itself, the
 * validated and dead-letter topics with the ingest topic's partition count, so every record keeps
 * its partition. A new declaration is provisioned at once (or, while declarations keep coming, with
 * those of the next quarter {@code pickup-interval}); every {@code
 * meshbone.validator.provision-interval} (2 s) it lists the cluster's topics and provisions
 * whatever lacks topics. When an ingest topic appeared, it tells {@link NewProductPickup}, so
 * record validation reads it at once rather than at its next metadata refresh.
 *
 * <p>It is also the {@link OutputTopics} of record validation: when a stream thread meets an ingest
 * topic whose outputs this thread has not yet made (the consumer's metadata refresh can beat the
 * next round), the stream thread makes them itself, once, waiting up to {@code
 * meshbone.validator.provision-timeout}. It creates product topics whatever {@code
 * meshbone.create-topics} says (that setting is about the mesh's own, operator-declared topics:
 * products appear at run time, and on a managed cluster no one else would create their topics);
 * with {@code meshbone.validator.create-product-topics=false} it creates nothing and waits for an
 * operator to.
 */
@Singleton
public class ProductTopicProvisioner implements OutputTopics {
  private static final Logger LOG = LoggerFactory.getLogger(ProductTopicProvisioner.class);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

  private final KafkaSettings kafka;
  private final MeshSettings mesh;
  private final MeshTopics topics;
  private final ProductTopicSettings config;
  private final NewProductPickup pickup;
  // The topics the broker showed: its last listing, and since then the topics made here that a
  // describe has shown. Owned by the provisioner's thread.
  private Set<String> known = new HashSet<>();
  // The ingest topics among them (null before the first listing: the stream threads' first
  // assignment already covers what exists at start-up).
  private Set<String> knownIngest;
  // When this provisioner last created topics (System.nanoTime()).
  private volatile long lastCreation = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
  private final PickupSchedule pickups;
  private final Set<ProductId> ready = ConcurrentHashMap.newKeySet();
  private final Set<ProductId> declared = ConcurrentHashMap.newKeySet();
  // Topics this provisioner made that the broker does not show yet: its metadata lags the
  // controller by seconds while hundreds of topics are created at once. Counted as existing until
  // shown (by a listing or a describe), so no round asks for them again (and waits for the broker
  // to know them); then the broker is the truth again (a deleted topic is made again). With when
  // each was made: one the broker still does not show a provision-timeout later was most likely
  // deleted meanwhile, and is left to the next listing, which makes it again.
  private final Map<String, Long> madeNotListed = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private volatile Admin admin;
  private volatile boolean running;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private final Optional<MeterRegistry> meters;
  private final Object pause = new Object();
  private Thread thread;

  public ProductTopicProvisioner(
      KafkaSettings kafka,
      MeshSettings mesh,
      MeshTopics topics,
      ProductTopicSettings config,
      NewProductPickup pickup,
      Optional<MeterRegistry> meters) {
    this.kafka = kafka;
    this.meters = meters;
    this.pickup = pickup;
    this.mesh = mesh;
    this.topics = topics;
    this.config = config;
    this.pickups = new PickupSchedule(config.pickupInterval(), System.nanoTime());
  }

  @EventListener
  void onStartup(StartupEvent event) {
    start();
  }

  /** Starts the background rounds (idempotent). */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = new Thread(this::run, "meshbone-product-topics");
    thread.setDaemon(true);
    thread.start();
  }

  @PreDestroy
  public synchronized void close() {
    running = false;
    // Not an interrupt: that would break the consumer's own close.
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    synchronized (pause) {
      pause.notifyAll();
    }
    if (thread != null) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
  }

  /** Whether both output topics of the product are known to exist. */
  public boolean isReady(ProductId product) {
    return ready.contains(product);
  }

  @Override
  public void ensureOutputs(ProductId product) {
    if (ready.contains(product)) {
      return;
    }
    long deadline = System.nanoTime() + config.provisionTimeout().toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        provision(List.of(product), withMade(existingTopics()), true);
        if (ready.contains(product)) {
          return;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      sleep(Duration.ofMillis(500));
    }
    throw new TimeoutException(
        "the topics "
            + DomainTopics.validated(product)
            + " and "
            + DomainTopics.dlq(product)
            + " do not exist"
            + (config.createProductTopics()
                ? " and could not be created" + (last == null ? "" : ": " + last.getMessage())
                : "; create them (meshbone.validator.create-product-topics is false)")
            + "; records of "
            + product
            + " wait in their ingest topic until they do");
  }

  private void run() {
    AutoCloseable consumerMeters = null;
    try (var consumer = productsConsumer()) {
      this.consumer = consumer;
      consumerMeters = KafkaClientMeters.bind(meters, consumer);
      boolean assigned = false;
      boolean declaredSince = false;
      long nextRound = 0;
      long nextFollowUp = 0;
      while (running) {
        try {
          if (!assigned) {
            assigned = assign(consumer);
          }
          if (assigned) {
            // The poll is the wait between rounds: a new declaration is provisioned at once.
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
              declaredSince |= readProduct(r);
            }
          }
          long now = System.nanoTime();
          if (!assigned || now >= nextRound) {
            roundOnce(true);
            declaredSince = false;
            nextRound = now + config.provisionInterval().toNanos();
          } else if (declaredSince && now - lastCreation >= creationGap().toNanos()) {
            roundOnce(false);
            declaredSince = false;
          } else if (!madeNotListed.isEmpty() && now >= nextFollowUp) {
            followUp();
            nextFollowUp = now + FOLLOW_UP.toNanos();
          }
          maybePickUp();
        } catch (org.apache.kafka.common.errors.WakeupException e) {
          break;
        } catch (RuntimeException e) {
          if (running) {
            LOG.warn("provisioning product topics failed; retrying: {}", e.toString());
          }
          nextRound = System.nanoTime() + config.provisionInterval().toNanos();
          pause(config.provisionInterval());
        }
        if (!assigned) {
          pause(config.provisionInterval());
        }
      }
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      if (running) {
        LOG.error("the product topic provisioner stopped", e);
      }
    } finally {
      if (consumerMeters != null) {
        KafkaClientMeters.close(consumerMeters);
      }
    }
  }

  /**
   * One round: every declared product and every ingest topic gets its missing topics, all in one
   * batch (one describe of the ingest topics that lack outputs, one create), so a round costs the
   * same few requests with ten products or thousands. A full round ({@code list}, every {@code
   * provision-interval}) first lists every topic: that is how ingest topics a domain created itself
   * are found, and a deleted topic is made again. A round for new declarations goes by what the
   * provisioner knows: on a cluster of thousands of topics a listing costs the broker and this
   * client far more than the creation it would precede.
   */
  private void roundOnce(boolean list) {
    if (list) {
      known = new HashSet<>(existingTopics());
      long givenUp = System.nanoTime() - config.provisionTimeout().toNanos();
      madeNotListed.values().removeIf(madeAt -> madeAt - givenUp < 0);
    }
    Set<String> existing = withMade(known);
    Set<ProductId> products = new LinkedHashSet<>(declared);
    Set<String> ingestTopics = new HashSet<>();
    for (String name : existing) {
      if (RecordValidation.SOURCE_PATTERN.matcher(name).matches()) {
        // Only shown ingest topics count for a pickup: the consumers' metadata comes from the
        // same broker, and a pickup of a topic it does not show yet would be spent for nothing.
        if (known.contains(name)) {
          ingestTopics.add(name);
        }
        DomainTopics.productOfIngest(name).ifPresent(products::add);
      }
    }
    List<ProductId> todo = new ArrayList<>();
    for (ProductId product : products) {
      if (!ready.contains(product)
          || !existing.contains(DomainTopics.ingest(product)) && declared.contains(product)) {
        todo.add(product);
      }
    }
    if (!todo.isEmpty()) {
      provision(todo, existing, list);
    }
    if (list) {
      shown(ingestTopics, true);
    }
  }

  /**
   * Asks the broker about the topics made here that it did not show yet (a describe of those alone,
   * not a listing of every topic), so the stream threads hear of a new ingest topic as soon as
   * their consumers can see it.
   */
  private void followUp() {
    Set<String> shown = describe(List.copyOf(madeNotListed.keySet())).keySet();
    if (shown.isEmpty()) {
      return;
    }
    known.addAll(shown);
    madeNotListed.keySet().removeAll(shown);
    Set<String> ingestTopics = new HashSet<>();
    for (String name : shown) {
      if (RecordValidation.SOURCE_PATTERN.matcher(name).matches()) {
        ingestTopics.add(name);
      }
    }
    shown(ingestTopics, false);
  }

  /**
   * Counts the ingest topics among {@code ingestTopics} that are new for a pickup; {@code all} says
   * they are every ingest topic the broker has (a listing), else some more (a describe).
   */
  private void shown(Set<String> ingestTopics, boolean all) {
    if (knownIngest == null) {
      knownIngest = all ? ingestTopics : new HashSet<>();
      return;
    }
    int appeared = 0;
    for (String name : ingestTopics) {
      if (!knownIngest.contains(name)) {
        appeared++;
      }
    }
    if (all) {
      knownIngest = ingestTopics;
    } else {
      knownIngest.addAll(ingestTopics);
    }
    pickups.seen(appeared, System.nanoTime());
  }

  /** How soon the provisioner asks again about topics it made that the broker did not show yet. */
  static final Duration FOLLOW_UP = Duration.ofMillis(200);

  /**
   * The least time between two creations for new declarations, a quarter of {@code pickup-interval}
   * (250 ms): while products are declared one after another, each creation takes all those declared
   * meanwhile, so fewer rounds of requests (a describe, a create, the follow-ups until the broker
   * shows the topics); and their topics still appear less than half a pickup-interval apart, so
   * {@link PickupSchedule} sees one burst and picks them up every five intervals rather than every
   * interval (with 500 ms, 35-47 pickups, each a rebalance, for 1,000 products declared one a
   * request by 8 clients; with 250 ms, 14-26). A product declared after a calm is created at once.
   */
  private Duration creationGap() {
    return config.pickupInterval().dividedBy(4);
  }

  /** Tells record validation of new ingest topics when {@link PickupSchedule} says so. */
  private void maybePickUp() {
    long now = System.nanoTime();
    int topics = pickups.due(now);
    if (topics > 0) {
      LOG.info(
          "picking up {} new ingest topic(s), the first listed {} ms ago",
          topics,
          pickups.waited(now).toMillis());
      pickup.topicsCreated();
    }
  }

  /**
   * Creates what the products lack, in one batch. {@code listed} says {@code existingBefore} comes
   * from a listing just now; otherwise the products' ingest topics missing from it are described
   * too, as a domain may have made one since (its partition count decides its outputs').
   */
  private void provision(
      Collection<ProductId> products, Set<String> existingBefore, boolean listed) {
    synchronized (lock) {
      // The partition counts of ingest topics that exist but lack an output, in one request.
      List<String> toDescribe =
          products.stream()
              .filter(
                  p ->
                      existingBefore.contains(DomainTopics.ingest(p))
                          ? !existingBefore.contains(DomainTopics.validated(p))
                              || !existingBefore.contains(DomainTopics.dlq(p))
                          : !listed)
              .map(DomainTopics::ingest)
              .toList();
      Map<String, Integer> partitions = new HashMap<>();
      describe(toDescribe).forEach((name, d) -> partitions.put(name, d.partitions().size()));
      Set<String> existing = existingBefore;
      if (!existingBefore.containsAll(partitions.keySet())) {
        existing = new HashSet<>(existingBefore);
        existing.addAll(partitions.keySet());
      }
      List<TopicSpec<byte[], byte[]>> missing = new ArrayList<>();
      for (ProductId product : products) {
        String ingest = DomainTopics.ingest(product);
        int count = partitions.getOrDefault(ingest, config.productPartitions());
        Set<String> before = existing;
        DomainTopics.productSpecs(product, count).stream()
            .filter(s -> !before.contains(s.name()))
            // an ingest topic is only created for products mesh.products declares
            .filter(s -> !s.name().equals(ingest) || declared.contains(product))
            .forEach(missing::add);
      }
      if (!missing.isEmpty() && config.createProductTopics()) {
        new TopicBootstrapper(admin(), mesh.replicationFactor(), ADMIN_TIMEOUT)
            .ensure(missing, existing);
        LOG.info("created product topics: {}", missing.stream().map(TopicSpec::name).toList());
        lastCreation = System.nanoTime();
        existing = new HashSet<>(existing);
        for (TopicSpec<?, ?> spec : missing) {
          madeNotListed.put(spec.name(), lastCreation);
          existing.add(spec.name());
        }
      }
      for (ProductId product : products) {
        if (existing.contains(DomainTopics.validated(product))
            && existing.contains(DomainTopics.dlq(product))) {
          ready.add(product);
        }
      }
    }
  }

  /** Whether the record declares a product this provisioner had not seen. */
  private boolean readProduct(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() == null || record.value() == null) {
      return false;
    }
    String id = new String(record.key(), StandardCharsets.UTF_8);
    if (!ProductId.isValid(id)) {
      return false;
    }
    try {
      MeshEventSerde.of(DataProductEvent.class).deserialize(topics.products.name(), record.value());
      return declared.add(ProductId.parse(id));
    } catch (RuntimeException e) {
      LOG.warn(
          "skipping unreadable product {} on {}: {}", id, topics.products.name(), e.toString());
      return false;
    }
  }

  private boolean assign(KafkaConsumer<byte[], byte[]> consumer) {
    var infos = consumer.partitionsFor(topics.products.name(), ADMIN_TIMEOUT);
    if (infos == null || infos.isEmpty()) {
      return false;
    }
    List<TopicPartition> parts =
        infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    return true;
  }

  private KafkaConsumer<byte[], byte[]> productsConsumer() {
    Map<String, Object> c = new HashMap<>(kafka.consumer());
    c.putIfAbsent(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "meshbone-product-topics");
    return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The listed topics and those made here that the listing does not show yet. */
  private Set<String> withMade(Set<String> listed) {
    madeNotListed.keySet().removeAll(listed);
    if (madeNotListed.isEmpty()) {
      return listed;
    }
    Set<String> all = new HashSet<>(listed);
    all.addAll(madeNotListed.keySet());
    return all;
  }

  private Set<String> existingTopics() {
    try {
      return admin().listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TimeoutException("interrupted while listing topics");
    } catch (Exception e) {
      throw new TimeoutException("cannot list topics: " + e.getMessage(), e);
    }
  }

  /** The descriptions of those of {@code topics} that the broker knows, in one request. */
  private Map<String, TopicDescription> describe(List<String> topics) {
    if (topics.isEmpty()) {
      return Map.of();
    }
    Map<String, TopicDescription> known = new HashMap<>();
    var futures = admin().describeTopics(topics).topicNameValues();
    long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
    for (var entry : futures.entrySet()) {
      try {
        known.put(
            entry.getKey(),
            entry.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw new TimeoutException(
              "cannot describe " + entry.getKey() + ": " + e.getCause().getMessage(), e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TimeoutException("interrupted while describing " + topics);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new TimeoutException("cannot describe " + entry.getKey() + " in " + ADMIN_TIMEOUT);
      }
    }
    return known;
  }

  private Admin admin() {
    Admin a = admin;
    if (a == null) {
      synchronized (this) {
        if (admin == null) {
          Map<String, Object> c = new HashMap<>(kafka.admin());
          c.putIfAbsent("bootstrap.servers", kafka.bootstrapServers());
          admin = Admin.create(c);
        }
        a = admin;
      }
    }
    return a;
  }

  private void pause(Duration d) {
    synchronized (pause) {
      if (!running) {
        return;
      }
      try {
        pause.wait(d.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
