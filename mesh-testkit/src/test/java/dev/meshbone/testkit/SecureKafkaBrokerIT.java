package dev.meshbone.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The secure broker authenticates with SCRAM and authorizes with ACLs only. */
class SecureKafkaBrokerIT {
  private static SecureKafkaBroker broker;

  @BeforeAll
  static void start() {
    broker = SecureKafkaBroker.start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void shouldLetAUserWriteOnlyWhatAnAclAllows() throws Exception {
    broker.createTopics(1, "acl-probe");
    broker.addUser("alice", "alice-secret");
    var alice = producer(broker.clientConfig("alice", "alice-secret"));

    assertThatThrownBy(
            () ->
                alice
                    .send(new ProducerRecord<>("acl-probe", new byte[1]))
                    .get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TopicAuthorizationException.class);
    alice.close();

    try (Admin admin = broker.admin()) {
      admin
          .createAcls(
              List.of(
                  new AclBinding(
                      new ResourcePattern(ResourceType.TOPIC, "acl-probe", PatternType.LITERAL),
                      new AccessControlEntry(
                          "User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW))))
          .all()
          .get(10, TimeUnit.SECONDS);
    }
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(
            () -> {
              try (var p = producer(broker.clientConfig("alice", "alice-secret"))) {
                return p.send(new ProducerRecord<>("acl-probe", new byte[1]))
                        .get(5, TimeUnit.SECONDS)
                    != null;
              }
            });
  }

  @Test
  void shouldRefuseAClientThatDoesNotAuthenticate() {
    Map<String, Object> config = new HashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    try (Admin anonymous = Admin.create(config)) {
      assertThatThrownBy(() -> anonymous.listTopics().names().get(5, TimeUnit.SECONDS))
          .isInstanceOfAny(ExecutionException.class, java.util.concurrent.TimeoutException.class);
    }
    Map<String, Object> wrong = new HashMap<>(broker.clientConfig("alice", "not-her-password"));
    wrong.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
    wrong.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    try (Admin impostor = Admin.create(wrong)) {
      assertThatThrownBy(() -> impostor.listTopics().names().get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
    }
    try (Admin admin = broker.admin()) {
      assertThat(admin.describeCluster().nodes()).isNotNull();
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> client) {
    var config = new HashMap<>(client);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
