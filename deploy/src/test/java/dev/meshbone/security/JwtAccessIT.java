package dev.meshbone.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.meshbone.registry.RegistryApp;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * mesh-registry taking Bearer JWTs as a company's identity provider issues them: tokens minted here
 * with nimbus-jose-jwt, checked against a JWKS served on localhost, the domain read from the claim
 * {@code mesh_domain}, the platform role from the {@code roles} claim. Expired, forged, unsigned
 * and garbage tokens are refused with 401. The registry runs as in a trusted network (anonymous
 * catalogue reads, open metrics), which this test also checks.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwtAccessIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String alpha = KafkaBroker.unique("alpha");
  private final String beta = KafkaBroker.unique("beta");
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicInteger jwksRequests = new AtomicInteger();
  private RSAKey idpKey;
  private HttpServer idp;
  private ApplicationContext registry;

  @BeforeAll
  void start(KafkaBroker broker) throws Exception {
    idpKey = new RSAKeyGenerator(2048).keyID("idp-1").generate();
    String jwks = new JWKSet(idpKey.toPublicJWK()).toString();
    idp = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    idp.createContext(
        "/.well-known/jwks.json",
        exchange -> {
          jwksRequests.incrementAndGet();
          byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    idp.start();

    var settings = new HashMap<String, Object>();
    settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
    broker.clientConfig().forEach((k, v) -> settings.put("kafka." + k, v));
    settings.put("kafka.streams.application.id", KafkaBroker.unique("jwt-it"));
    settings.put("meshbone.state-dir", Files.createTempDirectory("jwt-it").toString());
    settings.put("micronaut.server.port", -1);
    settings.put("meshbone.security.jwt.enabled", true);
    settings.put("meshbone.security.jwt.domain-claim", "mesh_domain");
    // A trusted network: the catalogue open to anonymous readers, /prometheus to scrapers.
    settings.put("meshbone.security.anonymous-catalogue-reads", true);
    settings.put("meshbone.security.prometheus", "open");
    settings.put(
        "micronaut.security.token.jwt.signatures.jwks.idp.url",
        "http://localhost:" + idp.getAddress().getPort() + "/.well-known/jwks.json");
    registry = RegistryApp.start(settings);
    var streams = registry.getBean(MeshStreams.class).streams();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> streams.state() == KafkaStreams.State.RUNNING);
  }

  @AfterAll
  void stop() {
    if (registry != null) {
      registry.close();
    }
    if (idp != null) {
      idp.stop(0);
    }
  }

  @Test
  void shouldTakeTheDomainFromTheConfiguredClaim() throws Exception {
    String token = sign(idpKey, claims("svc-" + alpha, alpha, List.of(), 300));

    assertThat(get("/products", token).statusCode()).isEqualTo(200);
    assertThat(get("/domains/" + alpha + "/notifications", token).statusCode()).isEqualTo(200);
    var others = get("/domains/" + beta + "/notifications", token);
    assertThat(others.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(others.body()).path("message").asText())
        .contains("domain " + alpha + " may not read the notifications of domain " + beta);
    assertThat(jwksRequests.get()).isPositive();
  }

  @Test
  void shouldGiveThePlatformRoleByTheRolesClaim() throws Exception {
    String admin = sign(idpKey, claims("platform-team", null, List.of("admin"), 300));
    String domain = sign(idpKey, claims("svc-" + alpha, alpha, List.of(), 300));
    String body = "{\"compatibility\":\"SIDEWAYS\"}";

    // Allowed through: refused by the controller for its body (422), not by the rules.
    assertThat(send("PUT", "/config", body, admin).statusCode()).isEqualTo(422);
    var refused = send("PUT", "/config", body, domain);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(refused.body()).path("error_code").asInt()).isEqualTo(40301);
  }

  @Test
  void shouldRefuseATokenWithoutADomainClaimForDomainWrites() throws Exception {
    String nobody = sign(idpKey, claims("some-service", null, List.of(), 300));

    assertThat(get("/products", nobody).statusCode()).isEqualTo(200);
    assertThat(get("/domains/" + alpha + "/notifications", nobody).statusCode()).isEqualTo(403);
  }

  @Test
  void shouldRefuseExpiredForgedUnsignedAndGarbageTokensWith401() throws Exception {
    RSAKey forger = new RSAKeyGenerator(2048).keyID("idp-1").generate();
    var tokens =
        List.of(
            sign(idpKey, claims("svc-" + alpha, alpha, List.of(), -120)),
            sign(forger, claims("svc-" + alpha, alpha, List.of("admin"), 300)),
            new PlainJWT(claims("svc-" + alpha, alpha, List.of("admin"), 300)).serialize(),
            "not.a.token",
            "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.",
            "x".repeat(20_000));

    for (String token : tokens) {
      var answer = get("/products", token);
      assertThat(answer.statusCode())
          .as(token.substring(0, Math.min(20, token.length())))
          .isEqualTo(401);
      assertThat(JSON.readTree(answer.body()).path("code").asText())
          .isEqualTo("CREDENTIALS_REFUSED");
    }
    assertThat(get("/health", null).statusCode()).isEqualTo(200);
  }

  @Test
  void shouldOpenOnlyCatalogueReadsAndMetricsToAnonymousCallersWhenConfigured() throws Exception {
    assertThat(get("/products", null).statusCode()).isEqualTo(200);
    assertThat(get("/subjects", null).statusCode()).isEqualTo(200);
    assertThat(get("/prometheus", null).statusCode()).isEqualTo(200);
    assertThat(get("/domains/" + alpha + "/notifications", null).statusCode()).isEqualTo(401);
    var write = send("PUT", "/config", "{\"compatibility\":\"NONE\"}", null);
    assertThat(write.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(write.body()).path("error_code").asInt()).isEqualTo(40101);
  }

  @Test
  void shouldShowHealthDetailsOnlyToThePlatformRole() throws Exception {
    String admin = sign(idpKey, claims("platform-team", null, List.of("admin"), 300));
    String domain = sign(idpKey, claims("svc-" + alpha, alpha, List.of(), 300));

    assertThat(JSON.readTree(get("/health", null).body()).has("details")).isFalse();
    assertThat(JSON.readTree(get("/health", domain).body()).has("details")).isFalse();
    assertThat(JSON.readTree(get("/health", admin).body()).path("details").toString())
        .contains("kafka");
  }

  private static JWTClaimsSet claims(
      String subject, String domain, List<String> roles, long expiresInSeconds) {
    var claims =
        new JWTClaimsSet.Builder()
            .subject(subject)
            .issuer("https://idp.example")
            .issueTime(Date.from(Instant.now().minusSeconds(600)))
            .expirationTime(Date.from(Instant.now().plusSeconds(expiresInSeconds)));
    if (domain != null) {
      claims.claim("mesh_domain", domain);
    }
    if (!roles.isEmpty()) {
      claims.claim("roles", roles);
    }
    return claims.build();
  }

  private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
    var jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    return send("GET", path, null, token);
  }

  private HttpResponse<String> send(String method, String path, String body, String token)
      throws Exception {
    var request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://localhost:" + registry.getBean(EmbeddedServer.class).getPort() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Accept", "*/*")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
