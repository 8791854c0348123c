package dev.meshbone.registry.products.routing;

import dev.meshbone.registry.products.RegistrySettings;
import dev.meshbone.runtime.KafkaSettings;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Where this registry instance listens and how the others reach it: {@code
 * meshbone.registry.advertised-url}, or Kafka Streams' own {@code application.server} when a
 * deployment sets that instead, or {@code localhost:<port>}. Kafka Streams needs the address
 * ({@code application.server}) when it is created, before the HTTP server binds; so when the
 * configured port is random ({@code micronaut.server.port} of -1 or 0, as in tests) the port is
 * chosen here, up front, and {@link ServerPortBinding} makes the HTTP server use it.
 */
@Singleton
public class InstanceAddress {
  private final int serverPort;
  private final boolean portChosenHere;
  private final HostInfo self;
  private final String scheme;

  @Inject
  public InstanceAddress(
      RegistrySettings settings,
      KafkaSettings kafka,
      @Value("${micronaut.server.port:8081}") int configuredPort) {
    this(
        settings.advertisedUrl(),
        stringOrNull(kafka.streams().get(StreamsConfig.APPLICATION_SERVER_CONFIG)),
        configuredPort);
  }

  /**
   * @param advertisedUrl {@code meshbone.registry.advertised-url}, or null
   * @param applicationServer Kafka Streams' own {@code application.server} when set directly
   *     ({@code kafka.streams.application.server}, as the cluster manifests do), or null
   * @param configuredPort {@code micronaut.server.port}; -1 or 0 for a random one
   */
  InstanceAddress(String advertisedUrl, String applicationServer, int configuredPort) {
    this.portChosenHere = configuredPort <= 0;
    this.serverPort = portChosenHere ? freePort() : configuredPort;
    HostInfo fromUrl = null;
    String urlScheme = "http";
    if (advertisedUrl != null && !advertisedUrl.isBlank()) {
      URI uri;
      try {
        uri = URI.create(advertisedUrl.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "meshbone.registry.advertised-url '"
                + advertisedUrl
                + "' is not a URL: "
                + e.getMessage());
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException(
            "meshbone.registry.advertised-url '"
                + advertisedUrl
                + "' names no host; give it as http://<host>:<port>");
      }
      urlScheme = uri.getScheme() == null ? "http" : uri.getScheme();
      fromUrl = new HostInfo(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : serverPort);
    }
    HostInfo fromStreams = null;
    if (applicationServer != null && !applicationServer.isBlank()) {
      int colon = applicationServer.lastIndexOf(':');
      try {
        fromStreams =
            new HostInfo(
                applicationServer.substring(0, colon),
                Integer.parseInt(applicationServer.substring(colon + 1)));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "kafka.streams.application.server '" + applicationServer + "' is not <host>:<port>");
      }
    }
    if (fromUrl != null && fromStreams != null && !fromUrl.equals(fromStreams)) {
      throw new IllegalArgumentException(
          "meshbone.registry.advertised-url says "
              + fromUrl
              + " but kafka.streams.application.server says "
              + fromStreams
              + "; set one of them");
    }
    this.scheme = urlScheme;
    this.self =
        fromUrl != null
            ? fromUrl
            : fromStreams != null ? fromStreams : new HostInfo("localhost", serverPort);
  }

  private static String stringOrNull(Object value) {
    return value == null ? null : value.toString();
  }

  /** The port the HTTP server binds. */
  public int serverPort() {
    return serverPort;
  }

  /** Whether the port was chosen here because the configuration asked for a random one. */
  public boolean portChosenHere() {
    return portChosenHere;
  }

  /** This instance as Kafka Streams knows it. */
  public HostInfo self() {
    return self;
  }

  /** The {@code application.server} value: {@code host:port}. */
  public String applicationServer() {
    return self.host() + ":" + self.port();
  }

  /** The base URL of an instance, this one or another. */
  public String baseUrl(HostInfo host) {
    return scheme + "://" + host.host() + ":" + host.port();
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port for the registry's HTTP server", e);
    }
  }
}
