package dev.meshbone.registry.products.readers;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.ReaderObservation;
import dev.meshbone.events.Subscription;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.registry.RegistryApp;
import dev.meshbone.registry.products.RegistrySettings;
import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.kafka.MeshClients;
import dev.meshbone.registry.products.query.CatalogQueries;
import dev.meshbone.registry.products.routing.LocalStores;
import dev.meshbone.runtime.KafkaSettings;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.ProductId;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code meshbone.registry.readers-interval} (30 s), asks the Admin API which consumer groups
 * have committed offsets on the validated topics of the products this instance holds, with each
 * partition's end offset (read_committed: the last stable offset), and publishes a product's {@link
 * ReaderObservation} on {@code mesh.readers.observed} when it differs from the last one published.
 * Three Admin calls per scan whatever the number of products: list the groups, their offsets (one
 * batched call), the end offsets. The registry's principal needs DESCRIBE on groups ({@code
 * AclTable}).
 */
@Singleton
@Requires(env = RegistryApp.ENVIRONMENT)
public class ReaderObserver {
  private static final Logger LOG = LoggerFactory.getLogger(ReaderObserver.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

  private final LocalStores stores;
  private final CatalogQueries queries;
  private final MeshTopics topics;
  private final MeshClients clients;
  private final KafkaSettings kafka;
  private final Duration interval;
  private final Map<String, ReaderObservation> published = new ConcurrentHashMap<>();
  private volatile ScheduledExecutorService timer;
  private volatile Admin admin;
  private volatile boolean failing;

  public ReaderObserver(
      LocalStores stores,
      CatalogQueries queries,
      MeshTopics topics,
      MeshClients clients,
      KafkaSettings kafka,
      RegistrySettings settings) {
    this.stores = stores;
    this.queries = queries;
    this.topics = topics;
    this.clients = clients;
    this.kafka = kafka;
    this.interval = settings.readersInterval();
  }

  @EventListener
  void onStartup(StartupEvent event) {
    var t =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "mesh-registry-reader-observer");
              thread.setDaemon(true);
              return thread;
            });
    timer = t;
    long ms = interval.toMillis();
    t.scheduleWithFixedDelay(this::scanQuietly, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void scanQuietly() {
    try {
      scan();
      failing = false;
    } catch (Exception e) {
      // Said once per run of failures (a missing DESCRIBE on groups, Kafka away), then quietly.
      if (!failing) {
        LOG.warn("observing readers failed, next try in {}: {}", interval, e.toString());
      } else {
        LOG.debug("observing readers failed; next try in {}", interval, e);
      }
      failing = true;
    }
  }

  /** One scan: observes the local products' readers and publishes what changed. */
  public void scan() throws Exception {
    List<ReaderScan.Target> targets = localTargets();
    if (targets.isEmpty()) {
      return;
    }
    Admin a = admin();
    Set<String> wanted = new HashSet<>();
    targets.forEach(t -> wanted.add(t.topic()));
    Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
    for (var g :
        a.listGroups(ListGroupsOptions.forConsumerGroups())
            .all()
            .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      specs.put(g.groupId(), new ListConsumerGroupOffsetsSpec());
    }
    Map<String, Map<TopicPartition, Long>> committed = new HashMap<>();
    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
    if (!specs.isEmpty()) {
      var result = a.listConsumerGroupOffsets(specs);
      for (String group : specs.keySet()) {
        Map<TopicPartition, OffsetAndMetadata> offsets;
        try {
          offsets =
              result
                  .partitionsToOffsetAndMetadata(group)
                  .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof GroupIdNotFoundException) {
            continue;
          }
          throw e;
        }
        Map<TopicPartition, Long> mine = new HashMap<>();
        offsets.forEach(
            (tp, om) -> {
              if (om != null && wanted.contains(tp.topic())) {
                mine.put(tp, om.offset());
                ends.put(tp, OffsetSpec.latest());
              }
            });
        if (!mine.isEmpty()) {
          committed.put(group, mine);
        }
      }
    }
    Map<TopicPartition, Long> endOffsets = new HashMap<>();
    if (!ends.isEmpty()) {
      a.listOffsets(ends, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
          .all()
          .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .forEach((tp, info) -> endOffsets.put(tp, info.offset()));
    }
    var observations = ReaderScan.observe(targets, committed, endOffsets, Instant.now());
    for (var o : observations.values()) {
      ReaderObservation last = published.get(o.getProductId());
      boolean worthSaying = last != null || !o.getGroups().isEmpty();
      if (worthSaying && !ReaderScan.sameReaders(last, o)) {
        clients.send(topics.observedReaders, topics.observedReaders.name(), o.getProductId(), o);
        published.put(o.getProductId(), o);
      }
    }
  }

  private List<ReaderScan.Target> localTargets() {
    List<ReaderScan.Target> targets = new ArrayList<>();
    for (int partition :
        stores.localPartitions(CatalogStores.PRODUCTS_STORE, topics.products.name())) {
      try (var it =
          stores.<DataProductEvent>partition(CatalogStores.PRODUCTS_STORE, partition).all()) {
        while (it.hasNext()) {
          var kv = it.next();
          if (kv.value == null) {
            continue;
          }
          ProductId id = ProductId.parse(kv.key);
          Set<String> approved = new HashSet<>();
          for (Subscription s : queries.subscriptions(partition, kv.key).all()) {
            if (s.getState() == SubscriptionState.APPROVED) {
              approved.add(s.getConsumerDomain());
            }
          }
          targets.add(
              new ReaderScan.Target(kv.key, DomainTopics.validated(id), id.domain(), approved));
        }
      }
    }
    return targets;
  }

  private Admin admin() {
    Admin a = admin;
    if (a == null) {
      synchronized (this) {
        if (admin == null) {
          Map<String, Object> config = new HashMap<>(kafka.admin());
          config.putIfAbsent("bootstrap.servers", kafka.bootstrapServers());
          admin = Admin.create(config);
        }
        a = admin;
      }
    }
    return a;
  }

  @PreDestroy
  void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
  }
}
