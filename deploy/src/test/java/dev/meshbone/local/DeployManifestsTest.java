package dev.meshbone.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.registry.access.AccessConfig;
import dev.meshbone.runtime.MeshConfig;
import dev.meshbone.runtime.access.AclTable;
import dev.meshbone.runtime.access.AclTableFormat;
import dev.meshbone.runtime.access.ServiceAccount;
import dev.meshbone.runtime.access.ServiceAccounts;
import dev.meshbone.runtime.access.TopicCreation;
import dev.meshbone.runtime.security.Access;
import dev.meshbone.runtime.security.AccessRules;
import dev.meshbone.runtime.security.SecuritySettings;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.TopicSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The manifests for real clusters ({@code deploy/kubernetes}, {@code deploy/compose}) say what the
 * code declares: the topics of the catalogue with their partitions and configs, the services'
 * KafkaUsers with the ACL table's rows, Strimzi's {@code v1} API, each service's port and Kafka
 * login, probes that answer without credentials, and only setting names the services read.
 */
class DeployManifestsTest {
  private static final Path KUBERNETES = Path.of("kubernetes");
  private static final Path COMPOSE = Path.of("compose", "docker-compose.yml");
  private static final String STRIMZI = "kafka.strimzi.io/v1";

  @Test
  void shouldDeclareEveryMeshTopicAsTheCatalogueDoes() throws IOException {
    Map<String, Map<String, Object>> declared = new HashMap<>();
    for (Map<String, Object> doc : documents(KUBERNETES.resolve("topics.yaml"))) {
      assertThat(doc.get("kind")).isEqualTo("KafkaTopic");
      assertThat(doc.get("apiVersion")).as("Strimzi 1.x takes only v1").isEqualTo(STRIMZI);
      Map<String, Object> spec = map(doc.get("spec"));
      assertThat(declared.put((String) spec.get("topicName"), spec)).as("declared twice").isNull();
    }

    MeshTopics topics = MeshTopics.defaults();
    assertThat(declared.keySet())
        .containsExactlyInAnyOrderElementsOf(topics.all().stream().map(TopicSpec::name).toList());
    for (TopicSpec<?, ?> topic : topics.all()) {
      Map<String, Object> spec = declared.get(topic.name());
      assertThat(spec.get("partitions")).as(topic.name()).isEqualTo(topic.partitions());
      Map<String, Object> config = map(spec.get("config"));
      topic
          .configs()
          .forEach(
              (name, value) ->
                  assertThat(String.valueOf(config.get(name)))
                      .as(topic.name() + " " + name)
                      .isEqualTo(value));
      assertThat(config.keySet())
          .as(topic.name() + ": only declared configs, plus the cluster's durability setting")
          .containsExactlyInAnyOrderElementsOf(
              union(topic.configs().keySet(), Set.of("min.insync.replicas")));
    }
  }

  @Test
  void shouldDeclareEachServiceAsAKafkaUserWithTheAclsOfTheTable() throws IOException {
    List<AclTable.Rule> rules =
        AclTable.serviceRules(
            ServiceAccounts.defaults(), MeshTopics.defaults(), TopicCreation.OPERATOR);
    Map<String, Map<String, Object>> users = new HashMap<>();
    for (Map<String, Object> doc : documents(KUBERNETES.resolve("users.yaml"))) {
      assertThat(doc.get("kind")).isEqualTo("KafkaUser");
      assertThat(doc.get("apiVersion")).as("Strimzi 1.x takes only v1").isEqualTo(STRIMZI);
      assertThat(map(map(doc.get("metadata")).get("labels")))
          .containsEntry("strimzi.io/cluster", "meshbone-kafka");
      users.put((String) map(doc.get("metadata")).get("name"), map(doc.get("spec")));
    }
    assertThat(users.keySet())
        .containsExactlyInAnyOrder(
            "meshbone.contract-validator", "meshbone.mesh-registry", "meshbone.quality-monitor");
    for (ServiceAccount account : ServiceAccounts.defaults().all()) {
      Map<String, Object> spec = users.get(account.userName());
      assertThat(map(spec.get("authentication"))).containsEntry("type", "scram-sha-512");
      Map<String, Object> authorization = map(spec.get("authorization"));
      assertThat(authorization).containsEntry("type", "simple");
      assertThat(authorization.get("acls"))
          .as(account.service() + ": the services' rows of the ACL table, in its order")
          .isEqualTo(AclTableFormat.strimziAcls(rules, account.service()));
    }
  }

  @ParameterizedTest
  @CsvSource({
    "contract-validator, validator",
    "mesh-registry, registry",
    "quality-monitor, quality"
  })
  void shouldRunEachServiceOnItsOwnPortWithSettingsItReads(String service, String environment)
      throws IOException {
    int port = defaultPort(environment);
    List<Map<String, Object>> docs = documents(KUBERNETES.resolve(service + ".yaml"));
    Map<String, Object> deployment = kind(docs, "Deployment");
    Map<String, Object> container =
        map(
            ((List<?>)
                    map(map(map(deployment.get("spec")).get("template")).get("spec"))
                        .get("containers"))
                .get(0));
    assertThat(map(((List<?>) container.get("ports")).get(0)).get("containerPort")).isEqualTo(port);
    assertThat(
            map(((List<?>) map(kind(docs, "Service").get("spec")).get("ports")).get(0)).get("port"))
        .isEqualTo(port);

    Map<String, String> env = new HashMap<>();
    Map<String, Map<String, Object>> fromSecrets = new HashMap<>();
    for (Object e : (List<?>) container.get("env")) {
      Map<String, Object> var = map(e);
      env.put((String) var.get("name"), String.valueOf(var.get("value")));
      if (var.get("valueFrom") instanceof Map<?, ?> from && from.get("secretKeyRef") != null) {
        fromSecrets.put((String) var.get("name"), map(from.get("secretKeyRef")));
      }
    }
    assertThat(env)
        .containsKey("KAFKA_BOOTSTRAP_SERVERS")
        .containsEntry("MICRONAUT_SERVER_PORT", String.valueOf(port));
    env.keySet().forEach(DeployManifestsTest::assertKnownSetting);

    // Kafka: the service's own SCRAM user, whose Secret the User Operator writes.
    assertThat(env)
        .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
        .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
    assertThat(fromSecrets.get("KAFKA_SASL_JAAS_CONFIG"))
        .containsEntry("name", ServiceAccount.defaults(service).userName())
        .containsEntry("key", "sasl.jaas.config");
    assertThat(env.containsKey("MESHBONE_ACCESS_ENABLED"))
        .as("only mesh-registry runs the access reconciler")
        .isEqualTo(service.equals(ServiceAccount.REGISTRY));

    Map<String, Object> pod = map(map(map(deployment.get("spec")).get("template")).get("spec"));
    assertThat(pod.get("enableServiceLinks"))
        .as("no KAFKA_* variables injected from Services")
        .isEqualTo(false);
    for (String probe : List.of("readinessProbe", "livenessProbe")) {
      Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
      String path = (String) get.get("path");
      assertThat(get.get("port")).as(probe).isEqualTo("http");
      String template = path.equals("/health") ? "/health" : "/health/{selector}";
      assertThat(path).as(probe).isIn("/health", "/health/liveness", "/health/readiness");
      assertThat(AccessRules.find("GET", template))
          .as(probe + " " + path + " answers the kubelet, which sends no credentials")
          .hasValueSatisfying(rule -> assertThat(rule.access()).isEqualTo(Access.OPEN));
    }

    Map<String, Object> compose = map(map(documents(COMPOSE).get(0).get("services")).get(service));
    Map<String, Object> composeEnv = map(compose.get("environment"));
    assertThat(String.valueOf(composeEnv.get("MICRONAUT_SERVER_PORT")))
        .isEqualTo(String.valueOf(port));
    composeEnv.keySet().forEach(DeployManifestsTest::assertKnownSetting);
  }

  @Test
  void shouldApplyEveryManifestFromTheKustomization() throws IOException {
    List<String> resources =
        ((List<?>) documents(KUBERNETES.resolve("kustomization.yaml")).get(0).get("resources"))
            .stream().map(String::valueOf).toList();
    try (var files = Files.list(KUBERNETES)) {
      assertThat(resources)
          .containsExactlyInAnyOrderElementsOf(
              files
                  .map(p -> p.getFileName().toString())
                  .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                  .toList());
    }
  }

  @Test
  void shouldScrapeEveryServiceAndNameTheMetricsTheRulesAndDashboardRead() throws IOException {
    Map<String, Object> monitor = documents(SrePackage.DIR.resolve("servicemonitor.yaml")).get(0);
    assertThat(monitor.get("kind")).isEqualTo("ServiceMonitor");
    Map<String, Object> spec = map(monitor.get("spec"));
    Map<String, Object> selector = map(map(spec.get("selector")).get("matchLabels"));
    Map<String, Object> endpoint = map(((List<?>) spec.get("endpoints")).get(0));
    assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/prometheus");
    for (String service : List.of("contract-validator", "mesh-registry", "quality-monitor")) {
      Map<String, Object> svc =
          documents(KUBERNETES.resolve(service + ".yaml")).stream()
              .filter(d -> "Service".equals(d.get("kind")))
              .findFirst()
              .orElseThrow();
      assertThat(map(map(svc.get("metadata")).get("labels")))
          .as(service + "'s Service is selected by the ServiceMonitor")
          .containsAllEntriesOf(selector);
      assertThat(((List<?>) map(svc.get("spec")).get("ports")))
          .anySatisfy(port -> assertThat(map(port)).containsEntry("name", "http"));
    }
    List<String> resources =
        ((List<?>) documents(SrePackage.DIR.resolve("kustomization.yaml")).get(0).get("resources"))
            .stream().map(String::valueOf).toList();
    assertThat(resources).containsExactlyInAnyOrder("servicemonitor.yaml", "prometheusrule.yaml");
    // The names the running-mesh check (PackagedLocalMeshIT) looks for.
    assertThat(
            SrePackage.metricNames(
                "sum by (product) (rate(x_total{outcome=\"invalid\"}[10m])) / on (a) y > 0.05"))
        .containsExactly("x_total", "y");
    assertThat(SrePackage.metricNames())
        .contains(
            "meshbone_quality_product_state",
            "meshbone_validator_records_total",
            "meshbone_streams_running",
            "kafka_consumer_fetch_manager_records_lag",
            "http_server_requests_seconds_bucket")
        .allSatisfy(name -> assertThat(name).contains("_"));
  }

  /** A variable is a Kafka client setting, a meshbone setting that exists, or Micronaut's port. */
  private static void assertKnownSetting(String variable) {
    if (variable.startsWith("KAFKA_")
        || variable.equals("MICRONAUT_SERVER_PORT")
        || variable.equals("POD_IP")) {
      return;
    }
    assertThat(variable).startsWith("MESHBONE_");
    if (variable.startsWith("MESHBONE_SECURITY_")) {
      Set<String> security =
          Stream.of(
                  SecuritySettings.ENABLED,
                  SecuritySettings.USERS_FILE,
                  SecuritySettings.JWT_ENABLED,
                  SecuritySettings.JWT_DOMAIN_CLAIM,
                  SecuritySettings.PLATFORM_ROLE,
                  SecuritySettings.ANONYMOUS_CATALOGUE_READS,
                  SecuritySettings.PROMETHEUS)
              .map(name -> name.toUpperCase(Locale.ROOT).replaceAll("[.-]", "_"))
              .collect(Collectors.toSet());
      assertThat(security).as(variable + " names no security setting").contains(variable);
      return;
    }
    if (variable.startsWith("MESHBONE_ACCESS_")) {
      assertThat(setters(AccessConfig.class))
          .as(variable + " names no access setting")
          .contains(
              variable
                  .substring("MESHBONE_ACCESS_".length())
                  .toLowerCase(Locale.ROOT)
                  .replace('_', '-'));
      return;
    }
    String property =
        variable.substring("MESHBONE_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
    Set<String> meshSettings =
        Arrays.stream(MeshConfig.class.getMethods())
            .filter(m -> m.getName().startsWith("set"))
            .map(
                m ->
                    m.getName()
                        .substring(3)
                        .replaceAll("([a-z])([A-Z])", "$1-$2")
                        .toLowerCase(Locale.ROOT))
            .collect(Collectors.toSet());
    assertThat(meshSettings).as(variable + " names no meshbone setting").contains(property);
  }

  private static Set<String> setters(Class<?> settings) {
    return Arrays.stream(settings.getMethods())
        .filter(m -> m.getName().startsWith("set"))
        .map(
            m ->
                m.getName()
                    .substring(3)
                    .replaceAll("([a-z])([A-Z])", "$1-$2")
                    .toLowerCase(Locale.ROOT))
        .collect(Collectors.toSet());
  }

  private static int defaultPort(String environment) throws IOException {
    try (InputStream in =
        DeployManifestsTest.class.getResourceAsStream("/application-" + environment + ".yml")) {
      Map<String, Object> yaml = new Yaml().load(in);
      return (Integer) map(map(yaml.get("micronaut")).get("server")).get("port");
    }
  }

  private static Map<String, Object> kind(List<Map<String, Object>> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.get("kind"))).findFirst().orElseThrow();
  }

  private static List<Map<String, Object>> documents(Path file) throws IOException {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(Files.readString(file))) {
      if (doc != null) {
        docs.add(map(doc));
      }
    }
    return docs;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    var all = new java.util.HashSet<>(a);
    all.addAll(b);
    return all;
  }
}
