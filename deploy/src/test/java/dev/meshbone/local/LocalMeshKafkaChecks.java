package dev.meshbone.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshbone.testkit.AclProbe;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What {@code bin/local-mesh --secure --demo} enforces on Kafka, checked by {@link
 * LocalMeshSecureIT} on its running mesh: the broker takes only SASL/SCRAM-SHA-512 and ACLs; the
 * services run on their own principals (records flow) and the demo domains on theirs;
 * pharmacovigilance is refused clinical-trials' enrollments until clinical-trials approves its
 * subscription, and reads them after.
 */
final class LocalMeshKafkaChecks {
  private LocalMeshKafkaChecks() {}

  static void assertKafkaEnforced(LocalMesh mesh, LocalMeshOptions options) throws Exception {
    String enrollments = "clinical-trials.enrollments";
    await("pharmacovigilance refused before the approval, reading after it")
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              assertThat(mesh.demo().count(enrollments, "read refused before approval"))
                  .isEqualTo(1);
              assertThat(mesh.demo().count(enrollments, "first read after approval")).isEqualTo(1);
            });
    assertThat(mesh.demo().count(enrollments, "read allowed before subscribing")).isZero();

    LocalCredentials credentials = mesh.credentials();
    String bootstrap = "localhost:" + options.kafkaPort();
    var context =
        new AclProbe.Context(
            "clinical-trials.enrollments.ingest",
            enrollments,
            "pharmacovigilance.mesh.product-events");
    try (var pv = probe(bootstrap, "pharmacovigilance", credentials);
        var sc = probe(bootstrap, "supply-chain", credentials)) {
      assertThat(pv.allowed(topic("pharmacovigilance", enrollments, AclOperation.READ), context))
          .as("pharmacovigilance reads the product it is subscribed to")
          .isTrue();
      assertThat(
              pv.allowed(
                  topic("pharmacovigilance", enrollments + ".ingest", AclOperation.WRITE), context))
          .as("pharmacovigilance writes clinical-trials' ingest topic")
          .isFalse();
      assertThat(pv.allowed(topic("pharmacovigilance", enrollments, AclOperation.WRITE), context))
          .as("pharmacovigilance writes a validated topic past the validator")
          .isFalse();
      assertThat(sc.allowed(topic("supply-chain", enrollments, AclOperation.READ), context))
          .as("supply-chain reads a product without a subscription")
          .isFalse();
      assertThat(sc.allowed(topic("supply-chain", "mesh.products", AclOperation.READ), context))
          .as("a domain reads a mesh topic")
          .isFalse();
    }

    Map<String, Object> anonymous = new HashMap<>();
    anonymous.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    anonymous.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
    anonymous.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    try (Admin admin = Admin.create(anonymous)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(5, TimeUnit.SECONDS))
          .as("an unauthenticated client is refused")
          .isInstanceOfAny(ExecutionException.class, java.util.concurrent.TimeoutException.class);
    }
    // Nor can one reach the controller listener anonymously (where it could create ACLs).
    Map<String, Object> controller = new HashMap<>(anonymous);
    controller.remove(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    controller.put(
        AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, "localhost:" + options.controllerPort());
    try (Admin admin = Admin.create(controller)) {
      assertThatThrownBy(
              () ->
                  admin
                      .createAcls(
                          java.util.List.of(
                              topic("mallory", "clinical-trials.enrollments", AclOperation.READ)))
                      .all()
                      .get(5, TimeUnit.SECONDS))
          .as("an unauthenticated client of the controller listener is refused")
          .isInstanceOfAny(ExecutionException.class, java.util.concurrent.TimeoutException.class);
    }
  }

  private static AclProbe probe(String bootstrap, String domain, LocalCredentials credentials) {
    var config =
        new HashMap<String, Object>(
            LocalKafkaSecurity.scramClient(domain, credentials.password(domain).orElseThrow()));
    config.put("bootstrap.servers", bootstrap);
    return new AclProbe(config);
  }

  private static AclBinding topic(String domain, String topic, AclOperation op) {
    return new AclBinding(
        new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
        new AccessControlEntry("User:" + domain, "*", op, AclPermissionType.ALLOW));
  }
}
