package dev.meshbone.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The SRE package in {@code deploy/kubernetes/monitoring}: the PromQL of its alert rules and of its
 * Grafana dashboard, and the metric names they use, so a test can check each against a running
 * mesh.
 */
final class SrePackage {
  static final Path DIR = Path.of("kubernetes", "monitoring");
  static final Path RULES = DIR.resolve("prometheusrule.yaml");
  static final Path DASHBOARD = DIR.resolve("meshbone-dashboard.json");

  /** PromQL's functions, aggregations and keywords: identifiers that are no metric. */
  private static final Set<String> PROMQL =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "count",
          "stddev",
          "topk",
          "bottomk",
          "quantile",
          "rate",
          "irate",
          "increase",
          "delta",
          "deriv",
          "histogram_quantile",
          "time",
          "abs",
          "absent",
          "clamp_min",
          "clamp_max",
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "vector",
          "scalar",
          "avg_over_time",
          "max_over_time",
          "min_over_time",
          "label_replace");

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("\\b[a-zA-Z_:][a-zA-Z0-9_:]*\\b");

  private SrePackage() {}

  /** Every PromQL expression of the alert rules, then of the dashboard's panels. */
  static List<String> expressions() throws IOException {
    List<String> exprs = new ArrayList<>();
    try (InputStream in = Files.newInputStream(RULES)) {
      Map<String, Object> rule = new Yaml().load(in);
      for (Object group : (List<?>) ((Map<?, ?>) rule.get("spec")).get("groups")) {
        for (Object r : (List<?>) ((Map<?, ?>) group).get("rules")) {
          exprs.add(String.valueOf(((Map<?, ?>) r).get("expr")));
        }
      }
    }
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        exprs.add(target.get("expr").asText());
      }
    }
    return exprs;
  }

  /** The metric names an expression reads. */
  static Set<String> metricNames(String expr) {
    String rest = STRING.matcher(expr).replaceAll(" ");
    rest = MATCHERS.matcher(rest).replaceAll(" ");
    rest = RANGE.matcher(rest).replaceAll(" ");
    rest = GROUPING.matcher(rest).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(rest);
    while (m.find()) {
      if (!PROMQL.contains(m.group())) {
        names.add(m.group());
      }
    }
    return names;
  }

  /** Every metric name the rules and the dashboard read. */
  static Set<String> metricNames() throws IOException {
    Set<String> names = new TreeSet<>();
    for (String expr : expressions()) {
      names.addAll(metricNames(expr));
    }
    return names;
  }
}
