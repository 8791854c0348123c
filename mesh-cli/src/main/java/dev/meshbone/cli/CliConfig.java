package dev.meshbone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the mesh is and who the CLI is there: flags over environment variables over the current
 * context of the config file ({@code ~/.meshbone/config}) over the local mesh's defaults.
 *
 * <pre>{@code
 * current-context: local
 * contexts:
 *   local:
 *     registry-url: http://localhost:8081
 *     quality-url: http://localhost:8083
 *     bootstrap-servers: localhost:9092
 *   prod:
 *     registry-url: https://registry.mesh.example.com
 *     quality-url: https://quality.mesh.example.com
 *     bootstrap-servers: broker-1.mesh.example.com:9093
 *     basic.auth.credentials.source: USER_INFO
 *     basic.auth.user.info: clinical-trials:s3cret
 *     kafka:
 *       security.protocol: SASL_SSL
 *       sasl.mechanism: SCRAM-SHA-512
 *       sasl.jaas.config: org.apache.kafka.common.security.scram.ScramLoginModule required username="clinical-trials" password="s3cret";
 * }</pre>
 *
 * Credentials use Confluent's client setting names ({@code basic.auth.credentials.source}, {@code
 * basic.auth.user.info}, {@code bearer.auth.credentials.source}, {@code bearer.auth.token}) and are
 * sent as HTTP Basic or Bearer to the registry and quality-monitor; Kafka settings pass through by
 * Kafka's own names to the CLI's Kafka clients.
 */
public final class CliConfig {
  public static final String DEFAULT_REGISTRY = "http://localhost:8081";
  public static final String DEFAULT_QUALITY = "http://localhost:8083";
  public static final String DEFAULT_BOOTSTRAP = "localhost:9092";

  /** The credential settings, by Confluent's names. */
  public static final List<String> CREDENTIALS =
      List.of(
          "basic.auth.credentials.source",
          "basic.auth.user.info",
          "bearer.auth.credentials.source",
          "bearer.auth.token");

  private static final List<String> CONTEXT_KEYS =
      List.of("registry-url", "quality-url", "bootstrap-servers", "as", "kafka");

  private final Path file;
  private final String contextName;
  private final String registryUrl;
  private final String qualityUrl;
  private final String bootstrapServers;
  private final String as;
  private final Map<String, String> credentials;
  private final Map<String, String> kafka;
  private final Map<String, String> origin = new LinkedHashMap<>();

  /** The flags a user gave (null when not given). */
  public record Flags(
      String config,
      String context,
      String registryUrl,
      String qualityUrl,
      String bootstrapServers,
      String as,
      Map<String, String> kafka) {}

  private CliConfig(Flags flags, Map<String, String> env) {
    this.file = configFile(flags, env);
    ObjectNode contexts = Output.object();
    String current = null;
    if (Files.isRegularFile(file)) {
      JsonNode root = Inputs.readYaml(file, "the config file");
      if (root.isObject()) {
        if (root.path("contexts").isObject()) {
          contexts = (ObjectNode) root.get("contexts");
        } else if (root.has("contexts")) {
          throw CliException.badInput(
              file + ": contexts must be a map of context name to its settings");
        }
        current = root.path("current-context").asText(null);
      } else if (!root.isMissingNode() && !root.isNull()) {
        throw CliException.badInput(
            file + ": expected current-context and contexts, as in mesh config view");
      }
    }
    String name = first(flags.context(), env.get("MESH_CONTEXT"), current);
    JsonNode context = Output.object();
    if (name != null) {
      if (!contexts.has(name)) {
        throw CliException.badInput(
            "no context '"
                + name
                + "' in "
                + file
                + (contexts.isEmpty() ? "" : " (contexts: " + names(contexts) + ")"));
      }
      context = contexts.get(name);
      if (!context.isObject()) {
        throw CliException.badInput(file + ": context '" + name + "' must be a map of settings");
      }
      for (var it = context.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!CONTEXT_KEYS.contains(key) && !CREDENTIALS.contains(key)) {
          throw CliException.badInput(
              file
                  + ": context '"
                  + name
                  + "' has an unknown setting '"
                  + key
                  + "'; known are "
                  + CONTEXT_KEYS
                  + " and "
                  + CREDENTIALS);
        }
      }
    }
    this.contextName = name;
    this.registryUrl =
        pick(
            "registry-url",
            flags.registryUrl(),
            env,
            "MESH_REGISTRY_URL",
            context,
            DEFAULT_REGISTRY);
    this.qualityUrl =
        pick("quality-url", flags.qualityUrl(), env, "MESH_QUALITY_URL", context, DEFAULT_QUALITY);
    this.bootstrapServers =
        pick(
            "bootstrap-servers",
            flags.bootstrapServers(),
            env,
            "MESH_BOOTSTRAP_SERVERS",
            context,
            DEFAULT_BOOTSTRAP);
    this.as = pick("as", flags.as(), env, "MESH_AS", context, null);
    this.credentials = new LinkedHashMap<>();
    for (String key : CREDENTIALS) {
      String value =
          pick(
              key,
              null,
              env,
              "MESH_" + key.replace('.', '_').toUpperCase(Locale.ROOT),
              context,
              null);
      if (value != null) {
        credentials.put(key, value);
      }
    }
    this.kafka = new LinkedHashMap<>();
    JsonNode kafkaContext = context.path("kafka");
    if (!kafkaContext.isMissingNode() && !kafkaContext.isObject()) {
      throw CliException.badInput(
          file + ": kafka in context '" + name + "' must be a map of Kafka client settings");
    }
    kafkaContext.fields().forEachRemaining(e -> kafka.put(e.getKey(), e.getValue().asText()));
    env.forEach(
        (k, v) -> {
          if (k.startsWith("MESH_KAFKA_") && k.length() > "MESH_KAFKA_".length()) {
            kafka.put(
                k.substring("MESH_KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
          }
        });
    if (flags.kafka() != null) {
      kafka.putAll(flags.kafka());
    }
  }

  public static CliConfig resolve(Flags flags, Map<String, String> env) {
    return new CliConfig(flags, env);
  }

  public static Path configFile(Flags flags, Map<String, String> env) {
    String path = first(flags.config(), env.get("MESH_CONFIG"), null);
    if (path != null) {
      return Path.of(path);
    }
    String home = first(env.get("HOME"), System.getProperty("user.home"), ".");
    return Path.of(home, ".meshbone", "config");
  }

  private String pick(
      String key,
      String flag,
      Map<String, String> env,
      String envName,
      JsonNode context,
      String fallback) {
    if (flag != null && !flag.isBlank()) {
      origin.put(key, "flag");
      return flag.trim();
    }
    String fromEnv = env.get(envName);
    if (fromEnv != null && !fromEnv.isBlank()) {
      origin.put(key, "env " + envName);
      return fromEnv.trim();
    }
    JsonNode fromContext = context.get(key);
    if (fromContext != null && !fromContext.isNull() && !fromContext.asText().isBlank()) {
      origin.put(key, "context " + contextName(context));
      return fromContext.asText().trim();
    }
    if (fallback != null) {
      origin.put(key, "default");
    }
    return fallback;
  }

  private String contextName(JsonNode ignored) {
    return "'" + contextName + "'";
  }

  private static String names(JsonNode contexts) {
    var names = new java.util.ArrayList<String>();
    contexts.fieldNames().forEachRemaining(names::add);
    return String.join(", ", names);
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  public Path file() {
    return file;
  }

  public String contextName() {
    return contextName;
  }

  public String registryUrl() {
    return registryUrl;
  }

  public String qualityUrl() {
    return qualityUrl;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The domain {@code --as} (or the context) names, or null. */
  public String as() {
    return as;
  }

  /** Credentials by Confluent's names; empty on an open mesh. */
  public Map<String, String> credentials() {
    return credentials;
  }

  public boolean hasCredentials() {
    return credentials.containsKey("basic.auth.user.info")
        || credentials.containsKey("bearer.auth.token");
  }

  /** Kafka client settings by Kafka's own names. */
  public Map<String, String> kafka() {
    return kafka;
  }

  /** Where each setting came from (flag, env, context, default). */
  public Map<String, String> origin() {
    return origin;
  }

  /** Reads the config file's YAML as a tree (empty object when there is no file). */
  public static ObjectNode readFile(Path file) {
    if (!Files.isRegularFile(file)) {
      return Output.object();
    }
    JsonNode root = Inputs.readYaml(file, "the config file");
    return root.isObject() ? (ObjectNode) root : Output.object();
  }

  public static void writeFile(Path file, ObjectNode root) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, Output.render(root, Output.Format.yaml));
    } catch (IOException e) {
      throw CliException.badInput("cannot write " + file + ": " + e.getMessage());
    }
  }
}
