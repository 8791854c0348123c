package dev.meshbone.runtime.access;

import dev.meshbone.runtime.access.AclTable.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACL table as people and Strimzi read it: a Markdown table for the operator's reference, and
 * the {@code spec.authorization.acls} of a Strimzi {@code kafka.strimzi.io/v1} {@code KafkaUser}.
 */
public final class AclTableFormat {
  private AclTableFormat() {}

  /** The rules as one Markdown table, one line per rule, in the table's order. */
  public static String markdown(List<Rule> rules, PrincipalMapping mapping, ServiceAccounts who) {
    var out = new StringBuilder();
    out.append(
        "| principal | when | resource | name | pattern | operations | permission | why |\n");
    out.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (Rule rule : rules) {
      String principal =
          rule.scope() == AclTable.Scope.SERVICE
              ? "`" + who.of(rule.grantee()).principal() + "` (" + rule.grantee() + ")"
              : "`" + mapping.template().replace(PrincipalMapping.DOMAIN, "<domain>") + "`";
      out.append("| ")
          .append(principal)
          .append(" | ")
          .append(rule.scope().text())
          .append(" | ")
          .append(resource(rule.resourceType()))
          .append(" | `")
          .append(displayName(rule))
          .append("` | ")
          .append(rule.patternType().name().toLowerCase(Locale.ROOT))
          .append(" | ")
          .append(rule.operations().stream().map(AclTableFormat::operation).collect(joining()))
          .append(" | ")
          .append(rule.permission() == AclPermissionType.ALLOW ? "allow" : "**deny**")
          .append(" | ")
          .append(rule.why().replace("|", "\\|"))
          .append(" |\n");
    }
    return out.toString();
  }

  private static java.util.stream.Collector<CharSequence, ?, String> joining() {
    return Collectors.joining(", ");
  }

  private static String displayName(Rule rule) {
    return rule.name()
        .replace(AclTable.DOMAIN, "<domain>")
        .replace(AclTable.PRODUCT, "<domain>.<product>");
  }

  /**
   * A service's rules as Strimzi {@code KafkaUser} ACL rules ({@code kafka.strimzi.io/v1}): each a
   * map with {@code type} ({@code allow}/{@code deny}), {@code resource} ({@code type}, {@code
   * name}, {@code patternType} {@code literal}/{@code prefix}; no name for the cluster) and {@code
   * operations} (Strimzi's names: {@code Read}, {@code IdempotentWrite}...).
   */
  public static List<Map<String, Object>> strimziAcls(List<Rule> rules, String service) {
    List<Map<String, Object>> acls = new ArrayList<>();
    for (Rule rule : rules) {
      if (rule.scope() != AclTable.Scope.SERVICE || !rule.grantee().equals(service)) {
        continue;
      }
      Map<String, Object> resource = new LinkedHashMap<>();
      resource.put("type", strimziResource(rule.resourceType()));
      if (rule.resourceType() != ResourceType.CLUSTER) {
        resource.put("name", rule.name());
        resource.put(
            "patternType", rule.patternType() == PatternType.PREFIXED ? "prefix" : "literal");
      }
      Map<String, Object> acl = new LinkedHashMap<>();
      acl.put("type", rule.permission() == AclPermissionType.DENY ? "deny" : "allow");
      acl.put("resource", resource);
      acl.put(
          "operations", rule.operations().stream().map(AclTableFormat::strimziOperation).toList());
      acls.add(acl);
    }
    return acls;
  }

  /** Strimzi's name of a resource type: topic, group, transactionalId, cluster. */
  public static String strimziResource(ResourceType type) {
    return switch (type) {
      case TOPIC -> "topic";
      case GROUP -> "group";
      case TRANSACTIONAL_ID -> "transactionalId";
      case CLUSTER -> "cluster";
      default -> throw new IllegalArgumentException("Strimzi has no ACLs on " + type);
    };
  }

  /** Strimzi's name of an operation: {@code IDEMPOTENT_WRITE} is {@code IdempotentWrite}. */
  public static String strimziOperation(AclOperation operation) {
    StringBuilder name = new StringBuilder();
    for (String part : operation.name().split("_")) {
      name.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
    }
    return name.toString();
  }

  private static String resource(ResourceType type) {
    return switch (type) {
      case TOPIC -> "topic";
      case GROUP -> "group";
      case TRANSACTIONAL_ID -> "transactional id";
      case CLUSTER -> "cluster";
      default -> type.name().toLowerCase(Locale.ROOT);
    };
  }

  private static String operation(AclOperation op) {
    return strimziOperation(op);
  }
}
