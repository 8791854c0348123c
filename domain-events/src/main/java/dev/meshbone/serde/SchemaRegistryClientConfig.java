package dev.meshbone.serde;

import dev.meshbone.serde.internal.Configs;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/**
 * The settings of a {@link RestSchemaRegistryClient}, read from the same map as the serde's (so a
 * Confluent user's properties work unchanged).
 *
 * @param endpoints the registry's URLs, tried in turn (failover), each with its credentials
 * @param connectTimeout how long to wait for a TCP connection
 * @param requestTimeout how long to wait for an answer to one request
 * @param maxRetries how many more rounds over all URLs after a first round of transient failures
 * @param retryWait the wait before the first retry round; doubled every round
 * @param retryMaxWait the cap of the doubling wait
 * @param bearerToken a token sent as {@code Authorization: Bearer} on every request, or null
 * @param sslContext the TLS trust for https URLs ({@code schema.registry.ssl.truststore.*}), or
 *     null for the JVM's default trust
 */
public record SchemaRegistryClientConfig(
    List<Endpoint> endpoints,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxRetries,
    Duration retryWait,
    Duration retryMaxWait,
    String bearerToken,
    SSLContext sslContext) {

  /** Where a bearer token comes from: {@code STATIC_TOKEN} (with {@code bearer.auth.token}). */
  public static final String BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG =
      "bearer.auth.credentials.source";

  /** The bearer token (a JWT the registry checks), Confluent's name. */
  public static final String BEARER_AUTH_TOKEN_CONFIG = "bearer.auth.token";

  public static final String BEARER_AUTH_DOC =
      "bearer.auth.credentials.source=STATIC_TOKEN and bearer.auth.token=<JWT>: sent as"
          + " Authorization: Bearer on every request (instead of basic auth).";

  /** A trust store for an https registry, Confluent's names. */
  public static final String SSL_TRUSTSTORE_LOCATION_CONFIG =
      "schema.registry.ssl.truststore.location";

  public static final String SSL_TRUSTSTORE_PASSWORD_CONFIG =
      "schema.registry.ssl.truststore.password";
  public static final String SSL_TRUSTSTORE_TYPE_CONFIG = "schema.registry.ssl.truststore.type";
  public static final String SSL_TRUSTSTORE_DOC =
      "schema.registry.ssl.truststore.location (a file), .password and .type (PKCS12 or JKS;"
          + " default PKCS12): the certificates an https registry is trusted by, instead of the"
          + " JVM's.";

  /** The settings without a bearer token or a trust store of their own. */
  public SchemaRegistryClientConfig(
      List<Endpoint> endpoints,
      Duration connectTimeout,
      Duration requestTimeout,
      int maxRetries,
      Duration retryWait,
      Duration retryMaxWait) {
    this(
        endpoints, connectTimeout, requestTimeout, maxRetries, retryWait, retryMaxWait, null, null);
  }

  /** Comma-separated registry URLs; several give failover. Required. */
  public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";

  public static final String SCHEMA_REGISTRY_URL_DOC =
      "Comma-separated URLs of the schema registry (http or https); requests fail over to the next"
          + " URL on a transient failure.";

  /** Where basic-auth credentials come from: {@code USER_INFO} or {@code URL} (the default). */
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";

  public static final String BASIC_AUTH_CREDENTIALS_SOURCE_DOC =
      "USER_INFO: take credentials from basic.auth.user.info; URL (default): from the user info of"
          + " each URL (http://user:pass@host). meshbone's registry reads the user as the acting"
          + " domain.";

  /** {@code user:password} for basic auth with {@code USER_INFO}. */
  public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";

  /** Confluent's older name of {@link #BASIC_AUTH_USER_INFO_CONFIG}, still accepted. */
  public static final String SCHEMA_REGISTRY_USER_INFO_CONFIG =
      "schema.registry.basic.auth.user.info";

  public static final String BASIC_AUTH_USER_INFO_DOC =
      "user:password for basic auth (with basic.auth.credentials.source=USER_INFO, or when no"
          + " source is set).";

  public static final String CONNECT_TIMEOUT_MS_CONFIG = "schema.registry.connect.timeout.ms";
  public static final long CONNECT_TIMEOUT_MS_DEFAULT = 10_000;
  public static final String CONNECT_TIMEOUT_MS_DOC =
      "How long to wait for a TCP connection to one registry URL.";

  public static final String REQUEST_TIMEOUT_MS_CONFIG = "schema.registry.request.timeout.ms";
  public static final long REQUEST_TIMEOUT_MS_DEFAULT = 30_000;
  public static final String REQUEST_TIMEOUT_MS_DOC =
      "How long to wait for the answer to one request; a timeout counts as a transient failure.";

  public static final String MAX_RETRIES_CONFIG = "schema.registry.max.retries";
  public static final long MAX_RETRIES_DEFAULT = 3;
  public static final String MAX_RETRIES_DOC =
      "Retry rounds after a round in which every URL failed transiently (I/O error, timeout, HTTP"
          + " 5xx such as error codes 50001/50002/50003). 4xx answers are never retried.";

  public static final String RETRIES_WAIT_MS_CONFIG = "schema.registry.retries.wait.ms";
  public static final long RETRIES_WAIT_MS_DEFAULT = 200;
  public static final String RETRIES_WAIT_MS_DOC =
      "Wait before the first retry round; doubled each round, with jitter (each wait is drawn"
          + " between half and all of it).";

  public static final String RETRIES_MAX_WAIT_MS_CONFIG = "schema.registry.retries.max.wait.ms";
  public static final long RETRIES_MAX_WAIT_MS_DEFAULT = 5_000;
  public static final String RETRIES_MAX_WAIT_MS_DOC = "The cap of the doubling retry wait.";

  @Override
  public String toString() {
    // Never print a secret.
    return "SchemaRegistryClientConfig["
        + endpoints
        + (bearerToken == null ? "" : ", bearer token")
        + (sslContext == null ? "" : ", own trust store")
        + "]";
  }

  /** The Authorization header to send to {@code endpoint}: the bearer token, else basic auth. */
  public java.util.Optional<String> authorization(Endpoint endpoint) {
    if (bearerToken != null) {
      return java.util.Optional.of("Bearer " + bearerToken);
    }
    if (endpoint.userInfo() == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString(endpoint.userInfo().getBytes(StandardCharsets.UTF_8)));
  }

  /** An HTTP client builder with this configuration's TLS trust, if it has one of its own. */
  public java.net.http.HttpClient.Builder httpClientBuilder() {
    var builder = java.net.http.HttpClient.newBuilder();
    if (sslContext != null) {
      builder.sslContext(sslContext);
    }
    return builder;
  }

  public SchemaRegistryClientConfig {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one registry URL");
    }
  }

  /**
   * One registry URL.
   *
   * @param baseUri the URL without user info or trailing slash
   * @param userInfo {@code user:password} for basic auth, or null
   */
  public record Endpoint(URI baseUri, String userInfo) {
    @Override
    public String toString() {
      // Never print the password.
      return userInfo == null
          ? baseUri.toString()
          : baseUri + " (as " + userInfo.substring(0, Math.max(0, userInfo.indexOf(':'))) + ")";
    }
  }

  /** Reads the settings; {@code schema.registry.url} is required. */
  public static SchemaRegistryClientConfig fromMap(Map<String, ?> props) {
    List<String> urls = Configs.list(props, SCHEMA_REGISTRY_URL_CONFIG);
    if (urls.isEmpty()) {
      throw new ConfigException(
          "Missing required configuration \""
              + SCHEMA_REGISTRY_URL_CONFIG
              + "\" which has no default value.");
    }
    String source =
        Configs.string(props, BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "").toUpperCase(Locale.ROOT);
    String userInfo = Configs.string(props, BASIC_AUTH_USER_INFO_CONFIG, null);
    if (userInfo == null) {
      userInfo = Configs.string(props, SCHEMA_REGISTRY_USER_INFO_CONFIG, null);
    }
    switch (source) {
      case "USER_INFO" -> {
        if (userInfo == null || userInfo.indexOf(':') < 0) {
          throw new ConfigException(
              BASIC_AUTH_USER_INFO_CONFIG,
              userInfo == null ? null : "<hidden>",
              "basic.auth.credentials.source=USER_INFO needs basic.auth.user.info=user:password");
        }
      }
      case "URL", "" -> {
        // With no source set, a given user info is still used: it can only have been meant so.
        if (source.equals("URL")) {
          userInfo = null;
        }
      }
      default ->
          throw new ConfigException(
              BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG,
              source,
              "supported sources are USER_INFO and URL");
    }
    String bearer = bearerToken(props);
    if (bearer != null && userInfo != null && source.equals("USER_INFO")) {
      throw new ConfigException(
          BEARER_AUTH_TOKEN_CONFIG,
          "<hidden>",
          "give either basic auth (basic.auth.credentials.source=USER_INFO) or a bearer token,"
              + " not both");
    }
    List<Endpoint> endpoints = new ArrayList<>();
    for (String url : urls) {
      endpoints.add(endpoint(url, bearer == null ? userInfo : null));
    }
    return new SchemaRegistryClientConfig(
        endpoints,
        Duration.ofMillis(
            Configs.number(props, CONNECT_TIMEOUT_MS_CONFIG, CONNECT_TIMEOUT_MS_DEFAULT, 1)),
        Duration.ofMillis(
            Configs.number(props, REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS_DEFAULT, 1)),
        (int) Math.min(1000, Configs.number(props, MAX_RETRIES_CONFIG, MAX_RETRIES_DEFAULT, 0)),
        Duration.ofMillis(
            Configs.number(props, RETRIES_WAIT_MS_CONFIG, RETRIES_WAIT_MS_DEFAULT, 0)),
        Duration.ofMillis(
            Configs.number(props, RETRIES_MAX_WAIT_MS_CONFIG, RETRIES_MAX_WAIT_MS_DEFAULT, 0)),
        bearer,
        sslContext(props));
  }

  private static String bearerToken(Map<String, ?> props) {
    String source =
        Configs.string(props, BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG, "").toUpperCase(Locale.ROOT);
    String token = Configs.string(props, BEARER_AUTH_TOKEN_CONFIG, null);
    switch (source) {
      case "" -> {
        return token == null || token.isBlank() ? null : token.strip();
      }
      case "STATIC_TOKEN" -> {
        if (token == null || token.isBlank()) {
          throw new ConfigException(
              BEARER_AUTH_TOKEN_CONFIG,
              null,
              "bearer.auth.credentials.source=STATIC_TOKEN needs bearer.auth.token");
        }
        return token.strip();
      }
      default ->
          throw new ConfigException(
              BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG,
              source,
              "the supported source is STATIC_TOKEN (with bearer.auth.token)");
    }
  }

  private static SSLContext sslContext(Map<String, ?> props) {
    String location = Configs.string(props, SSL_TRUSTSTORE_LOCATION_CONFIG, null);
    if (location == null || location.isBlank()) {
      return null;
    }
    String password = Configs.string(props, SSL_TRUSTSTORE_PASSWORD_CONFIG, null);
    String type = Configs.string(props, SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
    try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(location))) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, password == null ? null : password.toCharArray());
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (java.io.IOException | GeneralSecurityException e) {
      throw new ConfigException(
          SSL_TRUSTSTORE_LOCATION_CONFIG,
          location,
          "cannot read the trust store ("
              + type
              + "): "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  private static Endpoint endpoint(String url, String configuredUserInfo) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG, url, "not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new ConfigException(
          SCHEMA_REGISTRY_URL_CONFIG, url, "expected http://host:port or https://host:port");
    }
    String userInfo = configuredUserInfo;
    if (userInfo == null && uri.getRawUserInfo() != null) {
      userInfo = URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    URI base =
        URI.create(
            scheme
                + "://"
                + uri.getHost()
                + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                + path);
    return new Endpoint(base, userInfo);
  }
}
