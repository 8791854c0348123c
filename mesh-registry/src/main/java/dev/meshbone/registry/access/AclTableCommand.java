package dev.meshbone.registry.access;

import dev.meshbone.runtime.access.AclTable;
import dev.meshbone.runtime.access.AclTableFormat;
import dev.meshbone.runtime.access.PrincipalMapping;
import dev.meshbone.runtime.access.ServiceAccount;
import dev.meshbone.runtime.access.ServiceAccounts;
import dev.meshbone.runtime.access.TopicCreation;
import dev.meshbone.topics.MeshTopics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the mesh's whole Kafka ACL table for an operator: every domain's rows (as the access
 * reconciler applies them) and every service's rows (as the local mesh applies them and the Strimzi
 * {@code KafkaUser} resources declare them).
 *
 * <pre>
 * java -cp mesh-registry/target/mesh-registry.jar dev.meshbone.registry.access.AclTableCommand
 * java -cp mesh-registry/target/mesh-registry.jar dev.meshbone.registry.access.AclTableCommand \
 *     --format strimzi --topic-creation operator &gt; deploy/kubernetes/users.yaml
 * </pre>
 */
public final class AclTableCommand {
  static final String USAGE =
      """
      Usage: java -cp mesh-registry.jar dev.meshbone.registry.access.AclTableCommand [options]

      Prints meshbone's Kafka ACL table: the rows of every domain (kept by mesh-registry's access
      reconciler) and of every service (contract-validator, mesh-registry, quality-monitor).

        --format markdown|strimzi      a Markdown table (default), or the services' Strimzi
                                       KafkaUser resources (kafka.strimzi.io/v1, SCRAM-SHA-512)
        --principal TEMPLATE           a domain's principal, {domain} standing for its name
                                       (default User:{domain}; meshbone.access.principal)
        --topic-creation services|operator
                                       whether the services create the mesh's topics
                                       (meshbone.create-topics=true, the default) or an operator
                                       does (KafkaTopic resources)
        --application-id SERVICE=ID    a service's kafka.streams.application.id, if not the default
        --principal-of SERVICE=PRINCIPAL
                                       a service's principal, if not User:meshbone.<service>
        --cluster NAME                 the strimzi.io/cluster label (default meshbone-kafka)
        --help                         print this text
      """;

  private AclTableCommand() {}

  public static void main(String[] args) {
    try {
      System.out.print(run(args));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
  }

  /** The text the command prints for these arguments. */
  public static String run(String... args) {
    String format = "markdown";
    PrincipalMapping mapping = PrincipalMapping.defaults();
    TopicCreation creation = TopicCreation.SERVICES;
    String cluster = "meshbone-kafka";
    Map<String, ServiceAccount> accounts = new LinkedHashMap<>();
    ServiceAccounts.defaults().all().forEach(a -> accounts.put(a.service(), a));
    List<String> rest = new ArrayList<>(List.of(args));
    while (!rest.isEmpty()) {
      String arg = rest.remove(0);
      switch (arg) {
        case "--help", "-h" -> {
          return USAGE;
        }
        case "--format" -> {
          format = value(arg, rest);
          if (!format.equals("markdown") && !format.equals("strimzi")) {
            throw new IllegalArgumentException("--format is markdown or strimzi, not " + format);
          }
        }
        case "--principal" -> mapping = PrincipalMapping.of(value(arg, rest));
        case "--topic-creation" -> {
          String v = value(arg, rest);
          try {
            creation = TopicCreation.valueOf(v.toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "--topic-creation is services or operator, not " + v);
          }
        }
        case "--cluster" -> cluster = value(arg, rest);
        case "--application-id" -> {
          var kv = pair(arg, value(arg, rest), accounts);
          accounts.put(kv[0], accounts.get(kv[0]).withApplicationId(kv[1]));
        }
        case "--principal-of" -> {
          var kv = pair(arg, value(arg, rest), accounts);
          ServiceAccount a = accounts.get(kv[0]);
          accounts.put(kv[0], new ServiceAccount(a.service(), kv[1], a.applicationId()));
        }
        default -> throw new IllegalArgumentException("unknown option " + arg + "\n\n" + USAGE);
      }
    }
    var services =
        new ServiceAccounts(
            accounts.get(ServiceAccount.VALIDATOR),
            accounts.get(ServiceAccount.REGISTRY),
            accounts.get(ServiceAccount.QUALITY));
    List<AclTable.Rule> rules = new ArrayList<>();
    List<AclTable.Rule> serviceRules =
        AclTable.serviceRules(services, MeshTopics.defaults(), creation);
    if (format.equals("strimzi")) {
      return strimzi(serviceRules, services, cluster, creation);
    }
    rules.addAll(AclTable.domainRules());
    rules.addAll(serviceRules);
    return AclTableFormat.markdown(rules, mapping, services);
  }

  /** The services' KafkaUser resources, one YAML document each. */
  static String strimzi(
      List<AclTable.Rule> rules, ServiceAccounts services, String cluster, TopicCreation creation) {
    var out = new StringBuilder();
    out.append("# meshbone's services as Strimzi KafkaUsers (SCRAM-SHA-512), their ACLs the\n")
        .append("# services' rows of the ACL table. Generated; do not edit by hand:\n")
        .append("#   java -cp mesh-registry/target/mesh-registry.jar")
        .append(" dev.meshbone.registry.access.AclTableCommand \\\n")
        .append("#     --format strimzi --topic-creation ")
        .append(creation.name().toLowerCase(Locale.ROOT))
        .append(" > deploy/kubernetes/users.yaml\n")
        .append("# DeployManifestsTest checks it against the table.\n");
    for (ServiceAccount account : services.all()) {
      out.append("---\n")
          .append("apiVersion: kafka.strimzi.io/v1\n")
          .append("kind: KafkaUser\n")
          .append("metadata:\n")
          .append("  name: ")
          .append(account.userName())
          .append('\n')
          .append("  labels:\n")
          .append("    strimzi.io/cluster: ")
          .append(cluster)
          .append('\n')
          .append("    app.kubernetes.io/part-of: meshbone\n")
          .append("spec:\n")
          .append("  authentication:\n")
          .append("    type: scram-sha-512\n")
          .append("  authorization:\n")
          .append("    type: simple\n")
          .append("    acls:\n");
      for (Map<String, Object> acl : AclTableFormat.strimziAcls(rules, account.service())) {
        @SuppressWarnings("unchecked")
        var resource = (Map<String, Object>) acl.get("resource");
        out.append("      - type: ").append(acl.get("type")).append('\n');
        out.append("        resource:\n");
        out.append("          type: ").append(resource.get("type")).append('\n');
        if (resource.containsKey("name")) {
          out.append("          name: ")
              .append(yamlString((String) resource.get("name")))
              .append('\n');
          out.append("          patternType: ").append(resource.get("patternType")).append('\n');
        }
        @SuppressWarnings("unchecked")
        var operations = (List<String>) acl.get("operations");
        out.append("        operations: [").append(String.join(", ", operations)).append("]\n");
      }
    }
    return out.toString();
  }

  private static String yamlString(String s) {
    return s.equals("*") ? "\"*\"" : s;
  }

  private static String value(String option, List<String> rest) {
    if (rest.isEmpty() || rest.get(0).startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value\n\n" + USAGE);
    }
    return rest.remove(0);
  }

  private static String[] pair(String option, String value, Map<String, ServiceAccount> known) {
    int eq = value.indexOf('=');
    if (eq < 1 || eq == value.length() - 1 || !known.containsKey(value.substring(0, eq))) {
      throw new IllegalArgumentException(
          option + " takes SERVICE=VALUE with SERVICE one of " + known.keySet() + ", not " + value);
    }
    return new String[] {value.substring(0, eq), value.substring(eq + 1)};
  }
}
