package dev.meshbone.client.internal;

import dev.meshbone.client.BrokerUnavailableException;
import dev.meshbone.client.MeshClientException;
import dev.meshbone.client.MeshClientSettings;
import dev.meshbone.client.MeshRequestException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The Kafka side of the SDK: client settings for every client (bootstrap servers and the settings
 * passed through), a lazily made admin client, waiting for a product's topics, and Kafka's
 * exceptions as the SDK's.
 */
public final class KafkaClients implements AutoCloseable {
  private static final Duration TOPIC_POLL = Duration.ofMillis(250);

  private final MeshClientSettings settings;
  private Admin admin;

  public KafkaClients(MeshClientSettings settings) {
    this.settings = settings;
  }

  /** bootstrap.servers, the settings passed through, and a client id naming the domain. */
  public Map<String, Object> common(String role) {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    config.put(CommonClientConfigs.CLIENT_ID_CONFIG, "meshbone-" + settings.domain() + "-" + role);
    config.putAll(settings.kafkaProperties());
    return config;
  }

  private synchronized Admin admin() {
    if (admin == null) {
      Map<String, Object> config = common("admin");
      int timeout = (int) settings.brokerTimeout().toMillis();
      config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
      config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeout, 30_000));
      admin = Admin.create(config);
    }
    return admin;
  }

  /**
   * Waits until {@code topic} exists and this client may see it, up to {@code
   * meshbone.client.topic-ready-timeout}: the mesh creates a product's topics once its declaration
   * is accepted, and on a secured cluster grants a domain's ACLs a moment after the mesh's state
   * changes (a declaration, an approved subscription), which a client cannot tell apart from a
   * topic that is not there yet.
   *
   * @throws BrokerUnavailableException when the cluster does not answer or the topic does not come
   * @throws MeshRequestException 403 {@code NOT_AUTHORIZED} when the cluster still refuses this
   *     client the topic at the end of the wait
   */
  public void awaitTopic(String topic, String productId) {
    long deadline = System.nanoTime() + settings.topicReadyTimeout().toNanos();
    while (true) {
      try {
        admin().describeTopics(Set.of(topic)).allTopicNames().get();
        return;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof TopicAuthorizationException && System.nanoTime() > deadline) {
          throw translate(cause, "see topic " + topic + " of " + productId);
        }
        if (!(cause instanceof UnknownTopicOrPartitionException)
            && !(cause instanceof TopicAuthorizationException)) {
          throw translate(cause, "look up topic " + topic + " of " + productId);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MeshClientException("interrupted while waiting for topic " + topic, e);
      }
      if (System.nanoTime() > deadline) {
        throw new BrokerUnavailableException(
            "topic "
                + topic
                + " of "
                + productId
                + " did not appear within "
                + settings.topicReadyTimeout().toSeconds()
                + " s: the mesh creates a product's topics after contract-validator accepts its"
                + " declaration; check that contract-validator runs against "
                + settings.bootstrapServers(),
            null);
      }
      try {
        Thread.sleep(TOPIC_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MeshClientException("interrupted while waiting for topic " + topic, e);
      }
    }
  }

  /** A Kafka client failure as the SDK's exception, saying what was being done. */
  public MeshClientException translate(Throwable e, String doing) {
    if (e instanceof MeshClientException m) {
      return m;
    }
    if (e instanceof TimeoutException) {
      return new BrokerUnavailableException(
          "Kafka at "
              + settings.bootstrapServers()
              + " did not answer in time to "
              + doing
              + " ("
              + e.getMessage()
              + "): check meshbone.client.bootstrap-servers, the network and the client's security"
              + " settings",
          e);
    }
    if (e instanceof AuthorizationException) {
      return new MeshRequestException(
          403,
          "NOT_AUTHORIZED",
          "Kafka refused to let domain "
              + settings.domain()
              + " "
              + doing
              + " ("
              + e.getMessage()
              + "): on a secured cluster a domain writes its own topics and reads the products it"
              + " has an approved subscription to");
    }
    if (e instanceof AuthenticationException) {
      return new MeshRequestException(
          401,
          "NOT_AUTHENTICATED",
          "Kafka at "
              + settings.bootstrapServers()
              + " did not accept this client's credentials ("
              + e.getMessage()
              + "): check meshbone.client.kafka.sasl.* / ssl.* settings");
    }
    return new MeshClientException("Kafka failed to " + doing + ": " + e, e);
  }

  @Override
  public synchronized void close() {
    if (admin != null) {
      admin.close(settings.brokerTimeout());
      admin = null;
    }
  }
}
