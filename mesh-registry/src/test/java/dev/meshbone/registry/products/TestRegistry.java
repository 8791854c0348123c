package dev.meshbone.registry.products;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshbone.registry.RegistryApp;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.topics.TopicSpec;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * One registry instance started as the service runs ({@link RegistryApp#start}), on a random port
 * with its own state folder, plus what its tests need: a producer for the mesh topics and a small
 * JSON HTTP client.
 */
public final class TestRegistry implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final ApplicationContext context;
  private final String baseUrl;
  private volatile String authorization;

  private TestRegistry(ApplicationContext context) {
    this.context = context;
    this.baseUrl = "http://localhost:" + context.getBean(EmbeddedServer.class).getPort();
  }

  /** Starts an instance and waits until its Streams app runs. */
  public static TestRegistry start(
      KafkaBroker broker, String applicationId, Path stateDir, Map<String, Object> extra) {
    var props = new HashMap<String, Object>();
    props.put("kafka.bootstrap.servers", broker.bootstrapServers());
    props.put("micronaut.server.port", -1);
    // The services refuse to start without a credential source unless told to run open.
    props.put("meshbone.security.enabled", false);
    props.put("kafka.streams.application.id", applicationId);
    props.put("meshbone.state-dir", stateDir.toString());
    props.putAll(extra);
    var registry = new TestRegistry(RegistryApp.start(props));
    registry.awaitRunning();
    return registry;
  }

  public void awaitRunning() {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> streams().state() == KafkaStreams.State.RUNNING);
  }

  public KafkaStreams streams() {
    return context.getBean(MeshStreams.class).streams();
  }

  public ApplicationContext context() {
    return context;
  }

  /** Sends these basic-auth credentials with every request that names none of its own. */
  public TestRegistry authenticate(String user, String password) {
    this.authorization = basic(user, password);
    return this;
  }

  /** The Authorization header of HTTP basic authentication. */
  public static String basic(String user, String password) {
    return "Basic "
        + java.util.Base64.getEncoder()
            .encodeToString(
                (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public String url(String path) {
    return baseUrl + path;
  }

  public Response get(String path, String... headers) {
    return send("GET", path, null, headers);
  }

  public Response send(String method, String path, String body, String... headers) {
    var builder =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      builder.header("Content-Type", "application/json");
    }
    boolean ownAuthorization = false;
    for (int i = 0; i + 1 < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
      ownAuthorization |= headers[i].equalsIgnoreCase("Authorization");
    }
    if (authorization != null && !ownAuthorization) {
      builder.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> r = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r.headers().map());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An HTTP answer; {@link #json()} parses the body. */
  public record Response(int status, String body, Map<String, java.util.List<String>> headers) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }

    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  @Override
  public void close() {
    context.close();
  }

  /** Writes mesh events straight to their topics, as the validator and monitor would. */
  public static final class Producer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;

    public Producer(KafkaBroker broker) {
      this.producer =
          new KafkaProducer<>(
              broker.producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    public <V> void send(TopicSpec<String, V> spec, String key, V value) {
      send(spec.name(), spec, key, value);
    }

    public <V> void send(String topic, TopicSpec<String, V> spec, String key, V value) {
      try {
        producer
            .send(
                new ProducerRecord<>(
                    topic,
                    spec.keySerde().serializer().serialize(topic, key),
                    spec.valueSerde().serializer().serialize(topic, value)))
            .get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }

    public void sendRaw(String topic, String key, byte[] value) {
      try {
        producer.send(new ProducerRecord<>(topic, key.getBytes(), value)).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }

    @Override
    public void close() {
      producer.close();
    }
  }
}
