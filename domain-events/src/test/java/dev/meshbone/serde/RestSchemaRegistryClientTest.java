package dev.meshbone.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.orders.Order;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's HTTP behaviour, against a local HTTP double of Confluent's registry. */
class RestSchemaRegistryClientTest {
  private static final Schema USER =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"com.example\","
                  + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"}]}");
  private static final Schema USER_V2 =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"com.example\","
                  + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"},"
                  + "{\"name\":\"age\",\"type\":\"int\"}]}");

  private final List<FakeSchemaRegistry> registries = new ArrayList<>();
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopRegistries() {
    registries.forEach(FakeSchemaRegistry::close);
  }

  private FakeSchemaRegistry registry() {
    FakeSchemaRegistry registry = FakeSchemaRegistry.start();
    registries.add(registry);
    return registry;
  }

  private RestSchemaRegistryClient client(String urls, Map<String, Object> extra) {
    Map<String, Object> props = new HashMap<>(extra);
    props.put("schema.registry.url", urls);
    props.putIfAbsent("schema.registry.retries.wait.ms", 200);
    props.putIfAbsent("schema.registry.retries.max.wait.ms", 1000);
    props.putIfAbsent("schema.registry.request.timeout.ms", 5000);
    // Waits are recorded, not slept; the jitter draw is fixed at its top (the whole wait).
    return new RestSchemaRegistryClient(
        SchemaRegistryClientConfig.fromMap(props), sleeps::add, () -> 1.0);
  }

  private RestSchemaRegistryClient client(String urls) {
    return client(urls, Map.of());
  }

  private static String deadUrl() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  @Test
  void shouldRegisterWithConfluentsContentTypeAndReturnTheId() {
    FakeSchemaRegistry registry = registry();
    var client = client(registry.url());

    int id = client.register("users-value", USER, false);

    assertThat(id).isEqualTo(1);
    var request = registry.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/subjects/users-value/versions");
    assertThat(request.header("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
    assertThat(request.header("Accept")).contains("application/vnd.schemaregistry.v1+json");
    assertThat(request.body()).contains("\"schema\":");
  }

  @Test
  void shouldAskTheRegistryToNormalizeWhenTold() {
    FakeSchemaRegistry registry = registry();
    var client = client(registry.url());

    client.register("users-value", USER, true);
    client.lookup("users-value", USER, true);

    assertThat(registry.requests()).allMatch(r -> "normalize=true".equals(r.query()));
  }

  @Test
  void shouldLeaveJavaOnlyPropertiesOutOfTheRegisteredSchema() {
    FakeSchemaRegistry registry = registry();
    var client = client(registry.url());
    assertThat(Order.getClassSchema().toString()).contains("avro.java.string");

    int fromClass = client.register("orders-value", Order.getClassSchema(), false);
    String avsc = Order.getClassSchema().toString().replace(",\"avro.java.string\":\"String\"", "");
    int fromAvsc = registry.register("orders-value", avsc);

    assertThat(registry.requests().get(0).body()).doesNotContain("avro.java");
    assertThat(fromClass).isEqualTo(fromAvsc);
  }

  @Test
  void shouldCacheIdsAndSchemasSoTheSecondUseDoesNoIo() {
    FakeSchemaRegistry registry = registry();
    var client = client(registry.url());
    int id = client.register("users-value", USER, false);
    client.lookup("users-value", USER, false);
    int other = registry.register("other-value", USER_V2.toString());
    client.schemaById(other);
    client.version("users-value", 1);
    int before = registry.requestCount();

    for (int i = 0; i < 10; i++) {
      assertThat(client.register("users-value", USER, false)).isEqualTo(id);
      assertThat(client.lookup("users-value", USER, false).id()).isEqualTo(id);
      assertThat(client.schemaById(id)).isEqualTo(USER);
      assertThat(client.schemaById(other)).isEqualTo(USER_V2);
      assertThat(client.version("users-value", 1).id()).isEqualTo(id);
    }

    assertThat(registry.requestCount()).isEqualTo(before);
  }

  @Test
  void shouldNotCacheTheLatestVersion() {
    FakeSchemaRegistry registry = registry();
    var client = client(registry.url());
    registry.register("users-value", USER.toString());
    assertThat(client.latest("users-value").version()).isEqualTo(1);

    registry.register("users-value", USER_V2.toString());

    RegisteredSchema latest = client.latest("users-value");
    assertThat(latest.version()).isEqualTo(2);
    assertThat(latest.schema()).isEqualTo(USER_V2);
    assertThat(latest.subject()).isEqualTo("users-value");
  }

  @Test
  void shouldRetryA5xxWithDoublingWaits() {
    FakeSchemaRegistry registry = registry();
    var client = client(registry.url());
    registry.failNext(3, 500, 50001);

    int id = client.register("users-value", USER, false);

    assertThat(id).isEqualTo(1);
    assertThat(registry.requestCount()).isEqualTo(4);
    assertThat(sleeps)
        .containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800));
  }

  @Test
  void shouldDrawEachWaitBetweenHalfAndAllOfIt() {
    var props = Map.<String, Object>of("schema.registry.url", "http://localhost:1");
    var config = SchemaRegistryClientConfig.fromMap(props);
    var lowest = new RestSchemaRegistryClient(config, d -> {}, () -> 0.0);
    var highest = new RestSchemaRegistryClient(config, d -> {}, () -> 0.999_999);

    // Defaults: 200 ms doubling, capped at 5 s.
    assertThat(lowest.backoff(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(highest.backoff(1)).isEqualTo(Duration.ofMillis(199));
    assertThat(lowest.backoff(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(lowest.backoff(10)).isEqualTo(Duration.ofMillis(2500));
    assertThat(highest.backoff(60)).isEqualTo(Duration.ofMillis(4999));
  }

  @Test
  void shouldRetryTheRegistrysTimeoutAndForwardingErrors() {
    FakeSchemaRegistry registry = registry();
    var client = client(registry.url());
    registry.failNext(1, 500, 50002);
    registry.failNext(1, 500, 50003);
    registry.failNext(1, 503, 503);

    assertThat(client.register("users-value", USER, false)).isEqualTo(1);
    assertThat(registry.requestCount()).isEqualTo(4);
  }

  @Test
  void shouldRetryAConnectionClosedWithoutAnswer() {
    FakeSchemaRegistry registry = registry();
    var client = client(registry.url());
    registry.dropNext(2);

    assertThat(client.register("users-value", USER, false)).isEqualTo(1);

    assertThat(registry.requestCount()).isEqualTo(3);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void shouldReadThroughDroppedConnections() {
    FakeSchemaRegistry registry = registry();
    var client = client(registry.url());
    registry.register("users-value", USER.toString());
    // The JDK's HTTP client itself may retry an idempotent GET once on a connection closed
    // before any answer, so only the outcome is certain here.
    registry.dropNext(3);

    assertThat(client.schemaById(1)).isEqualTo(USER);
    assertThat(sleeps).isNotEmpty();
  }

  @Test
  void shouldNeverRetryA4xx() {
    FakeSchemaRegistry registry = registry();
    var client = client(registry.url());
    client.register("users-value", USER, false);
    Schema incompatible =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"com.example\","
                    + "\"fields\":[{\"name\":\"name\",\"type\":\"long\"}]}");
    int before = registry.requestCount();

    assertThatThrownBy(() -> client.register("users-value", incompatible, false))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.errorCode()).isEqualTo(409);
              assertThat(e.isTransient()).isFalse();
              assertThat(e.getMessage()).contains("incompatible with an earlier schema");
            });
    assertThat(registry.requestCount()).isEqualTo(before + 1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void shouldCarryConfluentsErrorCodeAndMessage() {
    FakeSchemaRegistry registry = registry();
    var client = client(registry.url());

    assertThatThrownBy(() -> client.schemaById(99))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
              assertThat(e.isNotFound()).isTrue();
              assertThat(e.getMessage()).contains("Schema 99 not found").contains("40403");
            });
    assertThatThrownBy(() -> client.lookup("nobody-value", USER, false))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
    assertThatThrownBy(() -> client.latest("nobody-value"))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
    registry.register("users-value", USER.toString());
    assertThatThrownBy(() -> client.version("users-value", 7))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.VERSION_NOT_FOUND));
  }

  @Test
  void shouldGiveUpAfterTheRetryBudgetWithTheLastError() {
    FakeSchemaRegistry registry = registry();
    var client = client(registry.url(), Map.of("schema.registry.max.retries", 2));
    registry.failNext(10, 500, 50002);

    assertThatThrownBy(() -> client.register("users-value", USER, false))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo(50002);
              assertThat(e.isTransient()).isTrue();
              assertThat(e.getMessage()).contains("gave up after 3 attempts");
            });
    assertThat(registry.requestCount()).isEqualTo(3);
  }

  @Test
  void shouldSayTheRegistryIsUnreachableWhenNoUrlAnswers() throws IOException {
    var client = client(deadUrl(), Map.of("schema.registry.max.retries", 1));

    assertThatThrownBy(() -> client.schemaById(1))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.status()).isZero();
              assertThat(e.isTransient()).isTrue();
              assertThat(e.getMessage()).contains("got no answer").contains("2 attempts");
            });
  }

  @Test
  void shouldFailOverToTheNextUrlAndStayThere() throws IOException {
    FakeSchemaRegistry unwell = registry();
    FakeSchemaRegistry healthy = registry();
    unwell.failNext(100, 503, 503);
    var client = client(deadUrl() + "," + unwell.url() + ", " + healthy.url());

    assertThat(client.register("users-value", USER, false)).isEqualTo(1);
    assertThat(client.register("other-value", USER_V2, false)).isEqualTo(2);

    // The first request tried the dead URL, then the unwell one, then the healthy one, without
    // waiting; the second went straight to the one that answered.
    assertThat(sleeps).isEmpty();
    assertThat(unwell.requestCount()).isEqualTo(1);
    assertThat(healthy.requestCount()).isEqualTo(2);
  }

  @Test
  void shouldWaitOnlyAfterEveryUrlFailed() {
    FakeSchemaRegistry first = registry();
    FakeSchemaRegistry second = registry();
    first.failNext(1, 500, 50001);
    second.failNext(1, 500, 50001);
    var client = client(first.url() + "," + second.url());

    assertThat(client.register("users-value", USER, false)).isEqualTo(1);

    assertThat(sleeps).containsExactly(Duration.ofMillis(200));
    assertThat(first.requestCount()).isEqualTo(2);
  }

  @Test
  void shouldSendBasicAuthFromUserInfo() {
    FakeSchemaRegistry registry = registry();
    registry.requireBasicAuth("clinical-trials:s3cret");
    var client =
        client(
            registry.url(),
            Map.of(
                "basic.auth.credentials.source",
                "USER_INFO",
                "basic.auth.user.info",
                "clinical-trials:s3cret"));

    client.register("clinical-trials.enrollments-value", USER, false);

    assertThat(registry.requests().get(0).header("Authorization"))
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("clinical-trials:s3cret".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void shouldSendABearerTokenByConfluentsNames() {
    FakeSchemaRegistry registry = registry();
    var client =
        client(
            registry.url(),
            Map.of(
                "bearer.auth.credentials.source", "STATIC_TOKEN",
                "bearer.auth.token", "eyJhbGciOiJSUzI1NiJ9.e30.sig"));

    client.register("clinical-trials.enrollments-value", USER, false);

    assertThat(registry.requests().get(0).header("Authorization"))
        .isEqualTo("Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig");
  }

  @Test
  void shouldRefuseBearerSettingsItCannotUseWithoutShowingTheToken() {
    assertThatThrownBy(
            () ->
                SchemaRegistryClientConfig.fromMap(
                    Map.of(
                        "schema.registry.url", "http://r:8081",
                        "bearer.auth.credentials.source", "STATIC_TOKEN")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bearer.auth.token");
    assertThatThrownBy(
            () ->
                SchemaRegistryClientConfig.fromMap(
                    Map.of(
                        "schema.registry.url", "http://r:8081",
                        "bearer.auth.credentials.source", "OAUTHBEARER")))
        .hasMessageContaining("STATIC_TOKEN");
    assertThatThrownBy(
            () ->
                SchemaRegistryClientConfig.fromMap(
                    Map.of(
                        "schema.registry.url", "http://r:8081",
                        "basic.auth.credentials.source", "USER_INFO",
                        "basic.auth.user.info", "a:b",
                        "bearer.auth.token", "secret-token")))
        .hasMessageContaining("not both")
        .hasMessageNotContaining("secret-token");
    var config =
        SchemaRegistryClientConfig.fromMap(
            Map.of("schema.registry.url", "http://r:8081", "bearer.auth.token", "secret-token"));
    assertThat(config.toString()).doesNotContain("secret-token");
  }

  @Test
  void shouldRefuseATrustStoreItCannotRead() {
    assertThatThrownBy(
            () ->
                SchemaRegistryClientConfig.fromMap(
                    Map.of(
                        "schema.registry.url", "https://r:8081",
                        "schema.registry.ssl.truststore.location", "/no/such/truststore.p12",
                        "schema.registry.ssl.truststore.password", "changeit")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.ssl.truststore.location")
        .hasMessageContaining("cannot read the trust store")
        .hasMessageNotContaining("changeit");
  }

  @Test
  void shouldSendBasicAuthFromTheUrl() {
    FakeSchemaRegistry registry = registry();
    registry.requireBasicAuth("sales:p@ss");
    var client = client(registry.url().replace("http://", "http://sales:p%40ss@"), Map.of());

    assertThat(client.register("sales.orders-value", USER, false)).isEqualTo(1);
  }

  @Test
  void shouldRefuseWithoutCredentialsAsA4xx() {
    FakeSchemaRegistry registry = registry();
    registry.requireBasicAuth("sales:secret");
    var client = client(registry.url());

    assertThatThrownBy(() -> client.register("sales.orders-value", USER, false))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(401));
    assertThat(registry.requestCount()).isEqualTo(1);
  }

  @Test
  void shouldRefuseIncompleteSettings() {
    assertThatThrownBy(() -> SchemaRegistryClientConfig.fromMap(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url");
    assertThatThrownBy(
            () ->
                SchemaRegistryClientConfig.fromMap(
                    Map.of(
                        "schema.registry.url",
                        "http://localhost:8081",
                        "basic.auth.credentials.source",
                        "USER_INFO")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("basic.auth.user.info")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    assertThatThrownBy(
            () -> SchemaRegistryClientConfig.fromMap(Map.of("schema.registry.url", "localhost")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http://host:port");
    assertThatThrownBy(
            () ->
                SchemaRegistryClientConfig.fromMap(
                    Map.of(
                        "schema.registry.url",
                        "http://localhost:8081",
                        "schema.registry.max.retries",
                        "many")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.max.retries");
  }

  @Test
  void shouldNeverPrintThePassword() {
    var config =
        SchemaRegistryClientConfig.fromMap(
            Map.of(
                "schema.registry.url",
                "http://a:8081,http://b:8081/",
                "basic.auth.user.info",
                "sales:s3cret"));

    assertThat(config.endpoints()).hasSize(2);
    assertThat(config.endpoints().get(1).baseUri().toString()).isEqualTo("http://b:8081");
    assertThat(config.toString()).contains("sales").doesNotContain("s3cret");
  }

  @Test
  void shouldEncodeSubjectsInThePath() {
    FakeSchemaRegistry registry = registry();
    var client = client(registry.url());

    client.register("odd subject/with+chars", USER, false);

    assertThat(registry.requests().get(0).path())
        .isEqualTo("/subjects/odd%20subject%2Fwith%2Bchars/versions");
    assertThat(client.latest("odd subject/with+chars").id()).isEqualTo(1);
  }

  @Test
  void shouldResolveSchemaReferences() {
    FakeSchemaRegistry registry = registry();
    var client = client(registry.url());
    String address =
        "{\"type\":\"record\",\"name\":\"Address\",\"namespace\":\"com.example\","
            + "\"fields\":[{\"name\":\"city\",\"type\":\"string\"}]}";
    registry.register("address", address);
    int id =
        registry.registerWithReference(
            "customers-value",
            "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"com.example\","
                + "\"fields\":[{\"name\":\"home\",\"type\":\"com.example.Address\"}]}",
            "com.example.Address",
            "address",
            1);

    Schema customer = client.schemaById(id);

    assertThat(customer.getField("home").schema().getField("city")).isNotNull();
  }

  @Test
  void shouldRefuseASchemaOfAnotherType() {
    FakeSchemaRegistry registry = registry();
    var client = client(registry.url());
    int id = registry.registerOtherType("p-value", "PROTOBUF", "syntax = \"proto3\";");

    assertThatThrownBy(() -> client.schemaById(id))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("PROTOBUF")
        .hasMessageContaining("AVRO schemas only");
  }

  @Test
  void shouldTestCompatibilityWithTheRegistrysReasons() {
    FakeSchemaRegistry registry = registry();
    var client = client(registry.url());
    client.register("users-value", USER, false);

    CompatibilityResult compatible = client.testCompatibility("users-value", USER);
    CompatibilityResult incompatible = client.testCompatibility("users-value", 1, USER_V2);

    assertThat(compatible.compatible()).isTrue();
    assertThat(incompatible.compatible()).isFalse();
    assertThat(incompatible.messages())
        .anyMatch(m -> m.contains("READER_FIELD_MISSING_DEFAULT_VALUE"));
    assertThat(registry.requests().get(1).path())
        .isEqualTo("/compatibility/subjects/users-value/versions/latest");
    assertThat(registry.requests().get(1).query()).isEqualTo("verbose=true");
  }
}
