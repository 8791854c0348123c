package dev.meshbone.registry.products.routing;

import dev.meshbone.registry.products.RegistrySettings;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Where this registry instance listens and how the others reach it. Kafka Streams needs the address
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

  public InstanceAddress(
      RegistrySettings settings, @Value("${micronaut.server.port:8081}") int configuredPort) {
    this.portChosenHere = configuredPort <= 0;
    this.serverPort = portChosenHere ? freePort() : configuredPort;
    String advertised = settings.getAdvertisedUrl();
    if (advertised == null || advertised.isBlank()) {
      this.scheme = "http";
      this.self = new HostInfo("localhost", serverPort);
    } else {
      URI uri;
      try {
        uri = URI.create(advertised.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "meshbone.registry.advertised-url '"
                + advertised
                + "' is not a URL: "
                + e.getMessage());
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException(
            "meshbone.registry.advertised-url '"
                + advertised
                + "' names no host; give it as http://<host>:<port>");
      }
      this.scheme = uri.getScheme() == null ? "http" : uri.getScheme();
      this.self = new HostInfo(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : serverPort);
    }
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
