package dev.meshbone.registry.products.routing;

import dev.meshbone.registry.products.RegistrySettings;
import dev.meshbone.runtime.http.ApiException;
import dev.meshbone.runtime.security.Actor;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Spreads queries over the registry's instances. Instances with one application id share the
 * partitions, so a product lives on exactly one of them: a request about a product held by another
 * instance is forwarded to it over HTTP and its answer passed back unchanged; a list or search asks
 * every instance for its part and merges them.
 *
 * <p>A forwarded request carries {@value #FORWARDED_HEADER}; an instance that receives one for a
 * key it does not hold (the partitions moved in between) answers 503 rather than forwarding again,
 * so a request never loops.
 */
@Singleton
public class RegistryRouter {
  /** Marks a request one instance forwarded to another; its value names the sender. */
  public static final String FORWARDED_HEADER = "X-Mesh-Forwarded-By";

  private static final Serializer<String> KEYS = new StringSerializer();
  private static final List<String> FORWARDED_REQUEST_HEADERS =
      List.of(
          HttpHeaders.CONTENT_TYPE, HttpHeaders.ACCEPT, HttpHeaders.AUTHORIZATION, Actor.HEADER);
  private static final List<String> RETURNED_RESPONSE_HEADERS =
      List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER);

  private final LocalStores stores;
  private final InstanceAddress address;
  private final RegistrySettings settings;
  private final JsonMapper json;
  private final HttpClient client;

  public RegistryRouter(
      LocalStores stores, InstanceAddress address, RegistrySettings settings, JsonMapper json) {
    this.stores = stores;
    this.address = address;
    this.settings = settings;
    this.json = json;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();
  }

  /** Where a key of a store lives. */
  public record Location(HostInfo host, int partition, boolean local) {}

  /** The instance and partition that hold {@code key} of {@code store}. */
  public Location locate(String store, String key) {
    int running = stores.runningPartition(store, key);
    if (running >= 0) {
      return new Location(address.self(), running, true);
    }
    KeyQueryMetadata md;
    try {
      md = stores.streams().queryMetadataForKey(store, key, KEYS);
    } catch (RuntimeException e) {
      throw LocalStores.unavailable(store, e);
    }
    if (md == null
        || KeyQueryMetadata.NOT_AVAILABLE.equals(md)
        || md.activeHost() == null
        || HostInfo.unavailable().equals(md.activeHost())) {
      throw LocalStores.unavailable(
          store, new IllegalStateException("no instance holds the partition of " + key + " yet"));
    }
    return new Location(md.activeHost(), md.partition(), md.activeHost().equals(address.self()));
  }

  /**
   * Answers with {@code local} (given the key's partition) when this instance holds the key,
   * otherwise forwards the request, with {@code body} if it has one, to the instance that does.
   */
  public HttpResponse<?> route(
      HttpRequest<?> request,
      String store,
      String key,
      String body,
      IntFunction<HttpResponse<?>> local) {
    Location location = locate(store, key);
    if (location.local()) {
      return local.apply(location.partition());
    }
    if (request.getHeaders().contains(FORWARDED_HEADER)) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "REGISTRY_REBALANCING",
          "this instance no longer holds " + key + " (its partitions are moving); retry shortly");
    }
    return forward(request, location.host(), body);
  }

  /**
   * As {@link #route}, without blocking a thread: the local answer is computed at once (store reads
   * are in-memory or page-cache fast), a forwarded one completes when the other instance answers.
   * For the hottest read, one product, which then runs on the server's event loop.
   */
  public CompletableFuture<HttpResponse<?>> routeAsync(
      HttpRequest<?> request, String store, String key, IntFunction<HttpResponse<?>> local) {
    Location location = locate(store, key);
    if (location.local()) {
      return CompletableFuture.completedFuture(local.apply(location.partition()));
    }
    if (request.getHeaders().contains(FORWARDED_HEADER)) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "REGISTRY_REBALANCING",
          "this instance no longer holds " + key + " (its partitions are moving); retry shortly");
    }
    HostInfo target = location.host();
    return client
        .sendAsync(
            forwardRequest(request, target, null, settings.forwardTimeout()),
            java.net.http.HttpResponse.BodyHandlers.ofByteArray())
        .orTimeout(settings.forwardTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)
        .handle(
            (answer, error) -> {
              if (error != null) {
                ApiException e =
                    unreachable(
                        target, error instanceof Exception ex ? ex : new RuntimeException(error));
                return HttpResponse.status(e.status())
                    .body(new dev.meshbone.runtime.http.ApiError(e.code(), e.getMessage()));
              }
              return passBack(answer);
            });
  }

  /** Sends the request on to another instance and passes its answer back unchanged. */
  public HttpResponse<?> forward(HttpRequest<?> request, HostInfo target, String body) {
    try {
      return forwardAsync(request, target, body).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof ApiException api
          ? api
          : unreachable(target, e.getCause() instanceof Exception c ? c : e);
    }
  }

  /**
   * {@link #forward} without holding a thread while the other instance works: the future completes
   * with its answer, or fails with a 503 {@link ApiException} when it cannot be reached or does not
   * answer in time.
   */
  public CompletableFuture<HttpResponse<?>> forwardAsync(
      HttpRequest<?> request, HostInfo target, String body) {
    // A forwarded write waits on the other instance for Kafka's acknowledgement, then for the
    // validator's verdict.
    Duration timeout =
        settings.forwardTimeout().plus(settings.sendTimeout()).plus(settings.writeTimeout());
    return client
        .sendAsync(
            forwardRequest(request, target, body, timeout),
            java.net.http.HttpResponse.BodyHandlers.ofByteArray())
        .orTimeout(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
        .handle(
            (received, error) -> {
              if (error != null) {
                Throwable cause = error instanceof CompletionException c ? c.getCause() : error;
                throw unreachable(
                    target, cause instanceof Exception ex ? ex : new RuntimeException(cause));
              }
              return passBack(received);
            });
  }

  private java.net.http.HttpRequest forwardRequest(
      HttpRequest<?> request, HostInfo target, String body, Duration timeout) {
    String uri = address.baseUrl(target) + request.getUri().toString();
    var builder =
        java.net.http.HttpRequest.newBuilder(URI.create(uri))
            .timeout(timeout)
            .header(FORWARDED_HEADER, address.applicationServer());
    for (String header : FORWARDED_REQUEST_HEADERS) {
      String value = request.getHeaders().get(header);
      if (value != null) {
        builder.header(header, value);
      }
    }
    builder.method(
        request.getMethodName(),
        body == null
            ? java.net.http.HttpRequest.BodyPublishers.noBody()
            : java.net.http.HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    return builder.build();
  }

  private static HttpResponse<?> passBack(java.net.http.HttpResponse<byte[]> answer) {
    MutableHttpResponse<byte[]> response =
        HttpResponse.status(HttpStatus.valueOf(answer.statusCode()));
    for (String header : RETURNED_RESPONSE_HEADERS) {
      answer.headers().firstValue(header).ifPresent(v -> response.header(header, v));
    }
    if (answer.body() != null && answer.body().length > 0) {
      response.body(answer.body());
      if (answer.headers().firstValue(HttpHeaders.CONTENT_TYPE).isEmpty()) {
        response.contentType(MediaType.APPLICATION_JSON_TYPE);
      }
    }
    return response;
  }

  /**
   * Every instance's part of a store-wide query: this instance's from {@code local}, the others' by
   * GET of {@code pathAndQuery} (an internal endpoint), in parallel.
   */
  public <T> List<T> gather(
      String store, String pathAndQuery, Argument<T> type, Supplier<T> local) {
    Set<HostInfo> hosts = new LinkedHashSet<>();
    try {
      for (StreamsMetadata m : stores.streams().streamsMetadataForStore(store)) {
        hosts.add(m.hostInfo());
      }
    } catch (RuntimeException e) {
      throw LocalStores.unavailable(store, e);
    }
    if (hosts.isEmpty()) {
      throw LocalStores.unavailable(
          store, new IllegalStateException("no instance holds any of its partitions yet"));
    }
    Map<HostInfo, CompletableFuture<java.net.http.HttpResponse<byte[]>>> remote =
        new LinkedHashMap<>();
    for (HostInfo host : hosts) {
      if (!host.equals(address.self())) {
        var request =
            java.net.http.HttpRequest.newBuilder(URI.create(address.baseUrl(host) + pathAndQuery))
                .timeout(settings.forwardTimeout())
                .header(FORWARDED_HEADER, address.applicationServer())
                .header(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON)
                .GET();
        identity(request, ServerRequestContext.currentRequest().orElse(null));
        remote.put(
            host,
            client.sendAsync(
                request.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray()));
      }
    }
    List<T> parts = new ArrayList<>();
    if (hosts.contains(address.self())) {
      parts.add(local.get());
    }
    for (var entry : remote.entrySet()) {
      parts.add(parse(entry.getKey(), await(entry.getKey(), entry.getValue()), type));
    }
    return parts;
  }

  /** POSTs a JSON body to an internal endpoint of another instance and reads its JSON answer. */
  public <T> T call(HostInfo host, String path, Object body, Argument<T> type) {
    byte[] payload;
    try {
      payload = json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode an internal request: " + e.getMessage(), e);
    }
    var request =
        java.net.http.HttpRequest.newBuilder(URI.create(address.baseUrl(host) + path))
            .timeout(settings.forwardTimeout())
            .header(FORWARDED_HEADER, address.applicationServer())
            .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(payload));
    identity(request, ServerRequestContext.currentRequest().orElse(null));
    return parse(host, send(host, request.build()), type);
  }

  /**
   * GETs a JSON answer from another instance on behalf of {@code original}, whose identity headers
   * go along.
   */
  public <T> T callGet(HostInfo host, String path, HttpRequest<?> original, Argument<T> type) {
    var builder =
        java.net.http.HttpRequest.newBuilder(URI.create(address.baseUrl(host) + path))
            .timeout(settings.forwardTimeout())
            .header(FORWARDED_HEADER, address.applicationServer())
            .header(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON)
            .GET();
    identity(builder, original);
    return parse(host, send(host, builder.build()), type);
  }

  /**
   * Copies the caller's credentials and acting domain onto a request to another instance, which
   * authenticates and authorizes it again: instances trust nobody, not even each other.
   */
  private static void identity(java.net.http.HttpRequest.Builder builder, HttpRequest<?> original) {
    if (original == null) {
      return;
    }
    for (String header : List.of(HttpHeaders.AUTHORIZATION, Actor.HEADER)) {
      String value = original.getHeaders().get(header);
      if (value != null) {
        builder.header(header, value);
      }
    }
  }

  private java.net.http.HttpResponse<byte[]> send(
      HostInfo target, java.net.http.HttpRequest request) {
    return send(target, request, settings.forwardTimeout());
  }

  private java.net.http.HttpResponse<byte[]> send(
      HostInfo target, java.net.http.HttpRequest request, Duration timeout) {
    return await(
        target,
        client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofByteArray()),
        timeout);
  }

  private java.net.http.HttpResponse<byte[]> await(
      HostInfo target, CompletableFuture<java.net.http.HttpResponse<byte[]>> future) {
    return await(target, future, settings.forwardTimeout());
  }

  private java.net.http.HttpResponse<byte[]> await(
      HostInfo target,
      CompletableFuture<java.net.http.HttpResponse<byte[]>> future,
      Duration timeout) {
    try {
      return future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreachable(target, e);
    } catch (ExecutionException | TimeoutException e) {
      future.cancel(true);
      throw unreachable(target, e instanceof ExecutionException ? (Exception) e.getCause() : e);
    }
  }

  private <T> T parse(
      HostInfo host, java.net.http.HttpResponse<byte[]> response, Argument<T> type) {
    if (response.statusCode() != 200) {
      String body = new String(response.body(), StandardCharsets.UTF_8);
      throw new ApiException(
          response.statusCode() == 503 ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY,
          "REGISTRY_INSTANCE_FAILED",
          "registry instance "
              + host
              + " answered "
              + response.statusCode()
              + ": "
              + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
    }
    try {
      return json.readValue(response.body(), type);
    } catch (IOException e) {
      throw new ApiException(
          HttpStatus.BAD_GATEWAY,
          "REGISTRY_INSTANCE_FAILED",
          "registry instance " + host + " sent an answer that does not read: " + e.getMessage());
    }
  }

  private static ApiException unreachable(HostInfo target, Exception cause) {
    return new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE,
        "REGISTRY_INSTANCE_UNREACHABLE",
        "registry instance "
            + target
            + " that holds this data does not answer ("
            + (cause == null
                ? "no reason"
                : cause.getClass().getSimpleName() + ": " + cause.getMessage())
            + "); retry shortly");
  }
}
