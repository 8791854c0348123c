package dev.meshbone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshbone.client.ProductDeclaration;
import dev.meshbone.client.Slos;
import dev.meshbone.events.Classification;
import dev.meshbone.events.SubscriptionPolicy;
import dev.meshbone.topics.InvalidNameException;
import dev.meshbone.topics.ProductId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A product declaration file ({@code mesh product declare -f product.yaml}) read into the SDK's
 * {@link ProductDeclaration}: every key checked, unknown ones refused by name.
 *
 * <pre>{@code
 * id: clinical-trials.enrollments
 * name: Trial enrollments
 * description: One record per participant enrolled at a trial site
 * owner: {team: enrollment-platform, contact: enrollment@clinical-trials.example}
 * tags: [trial, enrollment]
 * classification: PII
 * subscriptionPolicy: OWNER_APPROVAL
 * inputs: []
 * slos: {minPassRate: 0.9, maxStaleness: 10m}
 * }</pre>
 */
public final class Declarations {
  static final Set<String> KEYS =
      Set.of(
          "id",
          "name",
          "description",
          "owner",
          "tags",
          "glossaryTerms",
          "classification",
          "subscriptionPolicy",
          "inputs",
          "slos",
          "properties");
  static final Set<String> SLO_KEYS =
      Set.of("minPassRate", "maxStaleness", "minVolume", "volumeWindow", "maxRejectionRate");

  private Declarations() {}

  /** A product id and what its owner declares about it. */
  public record Declared(ProductId id, ProductDeclaration declaration) {}

  /** The declaration in {@code spec}; {@code source} names the file in errors. */
  public static Declared read(JsonNode spec, String source) {
    if (!spec.isObject()) {
      throw CliException.badInput(source + ": a product declaration is a map (id, name, owner...)");
    }
    List<String> unknown = new ArrayList<>();
    spec.fieldNames()
        .forEachRemaining(
            k -> {
              if (!KEYS.contains(k)) {
                unknown.add(k);
              }
            });
    if (!unknown.isEmpty()) {
      throw CliException.badInput(
          source + ": unknown keys " + unknown + "; known are " + new java.util.TreeSet<>(KEYS));
    }
    String idText = required(spec, "id", source);
    ProductId id;
    try {
      id = ProductId.parse(idText);
    } catch (InvalidNameException e) {
      throw CliException.badInput(
          source + ": id '" + idText + "' is not <domain>.<product>: " + e.getMessage());
    }
    String name = spec.path("name").asText(null);
    var b = ProductDeclaration.builder(id.product());
    b.name(name == null ? id.product() : name);
    if (spec.hasNonNull("description")) {
      b.description(spec.get("description").asText());
    }
    JsonNode owner = spec.path("owner");
    if (owner.isTextual()) {
      b.owner(owner.asText());
    } else if (owner.isObject()) {
      String team = required(owner, "team", source + " owner");
      b.owner(team, owner.path("contact").asText(null));
    } else if (!owner.isMissingNode() && !owner.isNull()) {
      throw CliException.badInput(source + ": owner is a team name or {team, contact}");
    }
    b.tags(list(spec, "tags", source));
    b.glossaryTerms(list(spec, "glossaryTerms", source));
    b.inputs(list(spec, "inputs", source));
    if (spec.hasNonNull("classification")) {
      b.classification(
          enumOf(
              Classification.class,
              spec.get("classification").asText(),
              source + " classification"));
    }
    if (spec.hasNonNull("subscriptionPolicy")) {
      b.subscriptionPolicy(
          enumOf(
              SubscriptionPolicy.class,
              spec.get("subscriptionPolicy").asText(),
              source + " subscriptionPolicy"));
    }
    if (spec.hasNonNull("slos")) {
      b.slos(slos(spec.get("slos"), source));
    }
    JsonNode properties = spec.path("properties");
    if (properties.isObject()) {
      properties.fields().forEachRemaining(e -> b.property(e.getKey(), e.getValue().asText()));
    } else if (!properties.isMissingNode() && !properties.isNull()) {
      throw CliException.badInput(source + ": properties is a map of text");
    }
    try {
      return new Declared(id, b.build());
    } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
      throw CliException.badInput(source + ": " + e.getMessage());
    }
  }

  static Slos slos(JsonNode slos, String source) {
    if (!slos.isObject()) {
      throw CliException.badInput(source + ": slos is a map of " + SLO_KEYS);
    }
    slos.fieldNames()
        .forEachRemaining(
            k -> {
              if (!SLO_KEYS.contains(k)) {
                throw CliException.badInput(
                    source
                        + ": unknown SLO '"
                        + k
                        + "'; known are "
                        + new java.util.TreeSet<>(SLO_KEYS));
              }
            });
    Slos s = Slos.none();
    if (slos.hasNonNull("minPassRate")) {
      s = s.withMinPassRate(number(slos.get("minPassRate"), source + " slos.minPassRate"));
    }
    if (slos.hasNonNull("maxStaleness")) {
      s =
          s.withMaxStaleness(
              duration(slos.get("maxStaleness").asText(), source + " slos.maxStaleness"));
    }
    if (slos.hasNonNull("minVolume")) {
      Duration window =
          slos.hasNonNull("volumeWindow")
              ? duration(slos.get("volumeWindow").asText(), source + " slos.volumeWindow")
              : null;
      s = s.withMinVolume((long) number(slos.get("minVolume"), source + " slos.minVolume"), window);
    }
    if (slos.hasNonNull("maxRejectionRate")) {
      s =
          s.withMaxRejectionRate(
              number(slos.get("maxRejectionRate"), source + " slos.maxRejectionRate"));
    }
    return s;
  }

  static double number(JsonNode node, String what) {
    if (node.isNumber()) {
      return node.asDouble();
    }
    try {
      return Double.parseDouble(node.asText().trim());
    } catch (NumberFormatException e) {
      throw CliException.badInput(what + " '" + node.asText() + "' is not a number");
    }
  }

  /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}, ISO-8601, or milliseconds. */
  public static Duration duration(String text, String what) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
      }
      char unit = t.charAt(t.length() - 1);
      if (Character.isDigit(unit)) {
        return Duration.ofMillis(Long.parseLong(t));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1).trim());
      return switch (unit) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw CliException.badInput(
          what + " '" + text + "' is not a duration: write 10s, 5m, 2h, 1d or PT10M");
    }
  }

  /** A duration the way a person writes it: {@code 10m}, {@code 36h}, {@code 1500ms}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000L == 0) {
      return ms / 86_400_000L + "d";
    }
    if (ms % 3_600_000L == 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms % 60_000L == 0) {
      return ms / 60_000L + "m";
    }
    if (ms % 1000L == 0) {
      return ms / 1000L + "s";
    }
    return ms + "ms";
  }

  private static String required(JsonNode node, String key, String source) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull() || v.asText().isBlank()) {
      throw CliException.badInput(source + ": " + key + " is required");
    }
    return v.asText().trim();
  }

  private static String[] list(JsonNode spec, String key, String source) {
    JsonNode v = spec.get(key);
    if (v == null || v.isNull()) {
      return new String[0];
    }
    if (v.isTextual()) {
      return new String[] {v.asText()};
    }
    if (!v.isArray()) {
      throw CliException.badInput(source + ": " + key + " is a list");
    }
    List<String> values = new ArrayList<>();
    v.forEach(x -> values.add(x.asText()));
    return values.toArray(String[]::new);
  }

  static <E extends Enum<E>> E enumOf(Class<E> type, String value, String what) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw CliException.badInput(
          what + " '" + value + "' is not one of " + Arrays.toString(type.getEnumConstants()));
    }
  }
}
