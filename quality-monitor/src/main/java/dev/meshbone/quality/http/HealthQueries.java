package dev.meshbone.quality.http;

import dev.meshbone.events.HealthState;
import dev.meshbone.events.ProductHealth;
import dev.meshbone.quality.QualityStreamsApp;
import dev.meshbone.quality.QualityTopology;
import dev.meshbone.runtime.KafkaSettings;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.runtime.http.ApiError;
import dev.meshbone.runtime.http.ApiException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads product health from the monitor's state stores, wherever they are: a product's health and
 * history live in the instance that owns the product's partition, so a query for a key held
 * elsewhere is forwarded over HTTP to that instance ({@link KafkaStreams#queryMetadataForKey}, with
 * every instance's {@code application.server}); lists and summaries ask every instance for its part
 * and merge them. A forwarded request carries {@code local=true} so it is answered from local state
 * and never forwarded again.
 *
 * <p>Without {@code application.server} (one instance on a random port) every query is answered
 * from local state.
 */
@Singleton
public class HealthQueries {
  private final MeshStreams meshStreams;
  private final JsonMapper json;
  private final HostInfo self;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public HealthQueries(
      MeshStreams meshStreams, QualityStreamsApp app, KafkaSettings kafka, JsonMapper json) {
    this.meshStreams = meshStreams;
    this.json = json;
    Object server =
        kafka
            .streams()
            .getOrDefault(
                StreamsConfig.APPLICATION_SERVER_CONFIG,
                app.streamsDefaults().get(StreamsConfig.APPLICATION_SERVER_CONFIG));
    this.self =
        server == null || server.toString().isBlank()
            ? null
            : HostInfo.buildFromEndpoint(server.toString());
  }

  /** This instance's advertised address, if it has one. */
  public HostInfo self() {
    return self;
  }

  /** The product's current health. */
  public HealthView health(String productId, boolean local) {
    HostInfo owner = local ? null : remoteOwner(productId);
    if (owner != null) {
      return remote(owner, "/products/" + productId + "?local=true", Argument.of(HealthView.class));
    }
    ProductHealth health =
        this.<ProductHealth, ProductHealth>read(
            store -> store.get(productId), QualityTopology.HEALTH_STORE);
    if (health == null) {
      throw ApiException.notFound(
          "PRODUCT_NOT_FOUND", "no monitored product " + productId + " (unknown or retired)");
    }
    return HealthView.of(health);
  }

  /** The product's recent health changes, newest first. */
  public List<HealthView> history(String productId, int limit, boolean local) {
    HostInfo owner = local ? null : remoteOwner(productId);
    if (owner != null) {
      return remote(
          owner,
          "/products/" + productId + "/history?local=true&limit=" + limit,
          Argument.listOf(HealthView.class));
    }
    List<ProductHealth> history =
        this.<List<ProductHealth>, List<ProductHealth>>read(
            store -> store.get(productId), QualityTopology.HISTORY_STORE);
    if (history == null) {
      // No change recorded; a product the monitor knows has at least its first health.
      health(productId, true);
      return List.of();
    }
    var views = new ArrayList<HealthView>();
    for (int i = history.size() - 1; i >= 0 && views.size() < limit; i--) {
      views.add(HealthView.of(history.get(i)));
    }
    return views;
  }

  /** Every monitored product (optionally of one domain, in one state), sorted by id. */
  public List<HealthView> all(String domain, HealthState state, boolean local) {
    Map<String, HealthView> byId = new TreeMap<>();
    for (HealthView view : localAll(domain, state)) {
      byId.put(view.productId(), view);
    }
    if (!local) {
      String query =
          "/products?local=true"
              + param("domain", domain)
              + param("state", state == null ? null : state.name());
      for (HostInfo host : otherInstances()) {
        for (HealthView view : remote(host, query, Argument.listOf(HealthView.class))) {
          // During a rebalance two instances may both answer for a product: keep the newer.
          byId.merge(
              view.productId(),
              view,
              (a, b) ->
                  Comparator.nullsFirst(Comparator.<String>naturalOrder())
                              .compare(a.evaluatedAt(), b.evaluatedAt())
                          >= 0
                      ? a
                      : b);
        }
      }
    }
    return new ArrayList<>(byId.values());
  }

  /** How many products are in each state, in all and per domain (optionally one domain). */
  public SummaryView summary(String domain, boolean local) {
    var parts = new ArrayList<SummaryView>();
    parts.add(localSummary(domain));
    if (!local) {
      for (HostInfo host : otherInstances()) {
        parts.add(
            remote(
                host,
                "/summary?local=true" + param("domain", domain),
                Argument.of(SummaryView.class)));
      }
    }
    return SummaryView.merge(parts);
  }

  /** The products of the local store (active partitions only). */
  public List<HealthView> localAll(String domain, HealthState state) {
    return this.<ProductHealth, List<HealthView>>read(
        store -> {
          var views = new ArrayList<HealthView>();
          try (KeyValueIterator<String, ProductHealth> it = store.all()) {
            it.forEachRemaining(
                kv -> {
                  ProductHealth h = kv.value;
                  if (h != null
                      && (state == null || h.getState() == state)
                      && (domain == null || kv.key.startsWith(domain + "."))) {
                    views.add(HealthView.of(h));
                  }
                });
          }
          return views;
        },
        QualityTopology.HEALTH_STORE);
  }

  private SummaryView localSummary(String domain) {
    Map<String, Map<String, Long>> domains = new TreeMap<>();
    for (HealthView view : localAll(domain, null)) {
      domains.computeIfAbsent(view.domain(), d -> emptyCounts()).merge(view.state(), 1L, Long::sum);
    }
    var parts = new ArrayList<SummaryView.DomainSummary>();
    var byState = emptyCounts();
    long total = 0;
    for (var e : domains.entrySet()) {
      long n = e.getValue().values().stream().mapToLong(Long::longValue).sum();
      total += n;
      e.getValue().forEach((s, c) -> byState.merge(s, c, Long::sum));
      parts.add(new SummaryView.DomainSummary(e.getKey(), n, e.getValue()));
    }
    return new SummaryView(total, byState, parts);
  }

  private static Map<String, Long> emptyCounts() {
    var counts = new LinkedHashMap<String, Long>();
    for (HealthState s : HealthState.values()) {
      counts.put(s.name(), 0L);
    }
    return counts;
  }

  /** The instance that holds the product, when it is another one. */
  private HostInfo remoteOwner(String productId) {
    if (self == null) {
      return null;
    }
    KeyQueryMetadata metadata =
        meshStreams
            .streams()
            .queryMetadataForKey(
                QualityTopology.HEALTH_STORE, productId, Serdes.String().serializer());
    if (metadata == null
        || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)
        || metadata.activeHost().equals(self)) {
      return null;
    }
    return metadata.activeHost();
  }

  private List<HostInfo> otherInstances() {
    if (self == null) {
      return List.of();
    }
    var hosts = new ArrayList<HostInfo>();
    for (StreamsMetadata m : meshStreams.streams().metadataForAllStreamsClients()) {
      if (!m.hostInfo().equals(self)
          && m.stateStoreNames().contains(QualityTopology.HEALTH_STORE)) {
        hosts.add(m.hostInfo());
      }
    }
    return hosts;
  }

  private <V, R> R read(Function<ReadOnlyKeyValueStore<String, V>, R> query, String storeName) {
    try {
      ReadOnlyKeyValueStore<String, V> store =
          meshStreams
              .streams()
              .store(
                  StoreQueryParameters.fromNameAndType(
                      storeName, QueryableStoreTypes.keyValueStore()));
      return query.apply(store);
    } catch (InvalidStateStoreException e) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "NOT_READY",
          "the monitor's state is not queryable right now (starting or rebalancing): "
              + e.getMessage()
              + "; try again shortly");
    }
  }

  private <T> T remote(HostInfo host, String pathAndQuery, Argument<T> type) {
    URI uri = URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery);
    HttpResponse<byte[]> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(Duration.ofSeconds(10))
                  .header("Accept", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "INSTANCE_UNAVAILABLE",
          "the instance at " + host + " that holds this data does not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "INTERRUPTED", "interrupted");
    }
    try {
      if (response.statusCode() == 200) {
        return json.readValue(response.body(), type);
      }
      ApiError error = json.readValue(response.body(), Argument.of(ApiError.class));
      throw new ApiException(
          HttpStatus.valueOf(response.statusCode()), error.code(), error.message());
    } catch (IOException e) {
      throw new ApiException(
          HttpStatus.BAD_GATEWAY,
          "BAD_INSTANCE_ANSWER",
          "the instance at "
              + host
              + " answered "
              + response.statusCode()
              + " with a body that is not"
              + " JSON: "
              + e.getMessage());
    }
  }

  private static String param(String name, String value) {
    return value == null ? "" : "&" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
