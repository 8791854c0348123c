package dev.meshbone.runtime.access;

import static org.apache.kafka.common.acl.AclOperation.ALTER;
import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.IDEMPOTENT_WRITE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.acl.AclPermissionType.ALLOW;
import static org.apache.kafka.common.acl.AclPermissionType.DENY;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.CLUSTER;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID;

import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.runtime.access.MeshAccessState.SubscriptionKey;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.ProductId;
import dev.meshbone.topics.TopicSpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The mesh's Kafka ACL table: who may do what on which topic, group, transactional id and the
 * cluster, built from the topic catalogue ({@link MeshTopics}, {@link DomainTopics}). One table
 * serves everything that enforces or documents access: the access reconciler applies the domains'
 * rows as the mesh's state changes, the local mesh and the tests apply the services' rows, the
 * Strimzi {@code KafkaUser} resources are generated from them, and the printed table is the
 * operator's reference.
 *
 * <p>A domain's rows:
 *
 * <ul>
 *   <li>WRITE on its two control topics, and on the ingest topic of each of its products that is
 *       not RETIRED;
 *   <li>READ on each of its products' validated and dead-letter topics;
 *   <li>its consumer groups and transactional ids, prefixed {@code <domain>.};
 *   <li>IdempotentWrite on the cluster;
 *   <li>READ on the validated topic of every product it has an APPROVED subscription to, while that
 *       product is not RETIRED.
 * </ul>
 *
 * Nothing else: no access to any {@code mesh.} topic and no WRITE on any validated product topic,
 * so a domain cannot write past contract-validator, nor read a product without an approved
 * subscription.
 *
 * <p>A service's rows are the least set its code uses: the mesh topics it reads and writes, its
 * Kafka Streams internal topics, consumer group and transactional ids under its application id, and
 * where it works on every domain's topics (contract-validator reads every control and ingest topic,
 * writes and creates every product topic; mesh-registry writes and creates every domain's control
 * topics), the wildcard topic {@code *} for just those operations, because Kafka ACLs match topics
 * by literal name or by prefix and a domain's topics share no prefix but the domain's own. DENY
 * rows, generated from the catalogue, take back the wildcard's operations on every mesh topic the
 * service does not use that way.
 */
public final class AclTable {
  /** The name of the one cluster resource ACLs on the cluster are bound to. */
  public static final String CLUSTER_NAME = "kafka-cluster";

  /** The wildcard topic name: every topic. */
  public static final String ANY_TOPIC = ResourcePattern.WILDCARD_RESOURCE;

  /** Stands for the domain's name in a rule's resource name. */
  public static final String DOMAIN = "{domain}";

  /** Stands for a product id ({@code <domain>.<product>}) in a rule's resource name. */
  public static final String PRODUCT = "{product}";

  /** What a rule is given for. */
  public enum Scope {
    /** every domain the mesh knows */
    DOMAIN("every domain"),
    /** each product of the domain */
    OWN_PRODUCT("each product of the domain"),
    /** each product of the domain that is not RETIRED */
    OWN_LIVE_PRODUCT("each product of the domain that is not RETIRED"),
    /** the consumer domain of each APPROVED subscription to a product that is not RETIRED */
    APPROVED_SUBSCRIPTION(
        "the consumer domain of each APPROVED subscription to a product that is not RETIRED"),
    /** a service, always */
    SERVICE("always");

    private final String text;

    Scope(String text) {
      this.text = text;
    }

    /** The scope in words, as the printed table says it. */
    public String text() {
      return text;
    }
  }

  /**
   * One row of the table: a grantee, when it applies, one resource pattern, the operations on it,
   * allowed or denied, and why.
   *
   * @param grantee {@code <domain>} for a domain's rows, else the service's name
   * @param scope when the row applies
   * @param resourceType topic, group, transactional id or cluster
   * @param name the resource name; {@value #DOMAIN} and {@value #PRODUCT} are filled in per domain
   *     and product
   * @param patternType literal (a wildcard {@code *} is literal too) or prefixed
   * @param operations the operations, in a stable order
   * @param permission allow or deny
   * @param why what the grantee uses it for
   */
  public record Rule(
      String grantee,
      Scope scope,
      ResourceType resourceType,
      String name,
      PatternType patternType,
      List<AclOperation> operations,
      AclPermissionType permission,
      String why) {

    public Rule {
      Objects.requireNonNull(grantee, "grantee");
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(resourceType, "resourceType");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(patternType, "patternType");
      Objects.requireNonNull(permission, "permission");
      Objects.requireNonNull(why, "why");
      operations = List.copyOf(operations);
      if (operations.isEmpty()) {
        throw new IllegalArgumentException("a rule needs at least one operation");
      }
    }

    /** The row's bindings for one principal, its placeholders filled in. */
    public List<AclBinding> bind(String principal, String domain, ProductId product) {
      String resource = name;
      if (resource.contains(DOMAIN)) {
        resource = resource.replace(DOMAIN, Objects.requireNonNull(domain, "domain"));
      }
      if (resource.contains(PRODUCT)) {
        resource = resource.replace(PRODUCT, Objects.requireNonNull(product, "product").toString());
      }
      var pattern = new ResourcePattern(resourceType, resource, patternType);
      List<AclBinding> bindings = new ArrayList<>(operations.size());
      for (AclOperation operation : operations) {
        bindings.add(
            new AclBinding(pattern, new AccessControlEntry(principal, "*", operation, permission)));
      }
      return bindings;
    }
  }

  private static final List<Rule> DOMAIN_RULES =
      List.of(
          domainRule(
              Scope.DOMAIN,
              TOPIC,
              DOMAIN + DomainTopics.PRODUCT_EVENTS_SUFFIX,
              LITERAL,
              List.of(WRITE),
              "declares and changes its products (DataProductEvent)"),
          domainRule(
              Scope.DOMAIN,
              TOPIC,
              DOMAIN + DomainTopics.QUALITY_EVENTS_SUFFIX,
              LITERAL,
              List.of(WRITE),
              "reports quality results (QualityEvent)"),
          domainRule(
              Scope.DOMAIN,
              GROUP,
              DOMAIN + ".",
              PREFIXED,
              List.of(READ),
              "its consumer groups (the SDK names them <domain>.<consumer name>)"),
          domainRule(
              Scope.DOMAIN,
              TRANSACTIONAL_ID,
              DOMAIN + ".",
              PREFIXED,
              List.of(WRITE, DESCRIBE),
              "its transactional producers"),
          domainRule(
              Scope.DOMAIN,
              CLUSTER,
              CLUSTER_NAME,
              LITERAL,
              List.of(IDEMPOTENT_WRITE),
              "idempotent producers (the SDK's are)"),
          domainRule(
              Scope.OWN_LIVE_PRODUCT,
              TOPIC,
              PRODUCT + DomainTopics.INGEST_SUFFIX,
              LITERAL,
              List.of(WRITE),
              "publishes the product's records for contract-validator to check"),
          domainRule(
              Scope.OWN_PRODUCT,
              TOPIC,
              PRODUCT,
              LITERAL,
              List.of(READ),
              "reads its product's validated records"),
          domainRule(
              Scope.OWN_PRODUCT,
              TOPIC,
              PRODUCT + DomainTopics.DLQ_SUFFIX,
              LITERAL,
              List.of(READ),
              "reads its product's dead letters"),
          domainRule(
              Scope.APPROVED_SUBSCRIPTION,
              TOPIC,
              PRODUCT,
              LITERAL,
              List.of(READ),
              "reads a product it has an approved subscription to"));

  private AclTable() {}

  private static Rule domainRule(
      Scope scope,
      ResourceType type,
      String name,
      PatternType pattern,
      List<AclOperation> operations,
      String why) {
    return new Rule("<domain>", scope, type, name, pattern, operations, ALLOW, why);
  }

  /** The domains' rows, in the order the table lists them. */
  public static List<Rule> domainRules() {
    return DOMAIN_RULES;
  }

  /**
   * Every binding the domains' principals should have, and nothing else: the bindings the access
   * reconciler keeps in force for the principals it manages.
   */
  public static Set<AclBinding> desired(MeshAccessState state, PrincipalMapping mapping) {
    Set<AclBinding> bindings = new LinkedHashSet<>();
    for (String domain : state.domains()) {
      bindings.addAll(domainBindings(domain, state, mapping));
    }
    return bindings;
  }

  /** The bindings of one domain's principal under the mesh's state. */
  public static Set<AclBinding> domainBindings(
      String domain, MeshAccessState state, PrincipalMapping mapping) {
    String principal = mapping.principal(domain);
    Set<AclBinding> bindings = new LinkedHashSet<>();
    for (Rule rule : DOMAIN_RULES) {
      switch (rule.scope()) {
        case DOMAIN -> bindings.addAll(rule.bind(principal, domain, null));
        case OWN_PRODUCT, OWN_LIVE_PRODUCT -> {
          for (Map.Entry<ProductId, LifecycleStatus> p : state.products().entrySet()) {
            if (p.getKey().domain().equals(domain)
                && (rule.scope() == Scope.OWN_PRODUCT || p.getValue() != LifecycleStatus.RETIRED)) {
              bindings.addAll(rule.bind(principal, domain, p.getKey()));
            }
          }
        }
        case APPROVED_SUBSCRIPTION -> {
          for (Map.Entry<SubscriptionKey, SubscriptionState> s : state.subscriptions().entrySet()) {
            ProductId product = s.getKey().product();
            LifecycleStatus status = state.products().get(product);
            if (s.getKey().consumer().equals(domain)
                && !product.domain().equals(domain)
                && s.getValue() == SubscriptionState.APPROVED
                && status != null
                && status != LifecycleStatus.RETIRED) {
              bindings.addAll(rule.bind(principal, domain, product));
            }
          }
        }
        case SERVICE -> throw new IllegalStateException("a service rule among the domain rules");
      }
    }
    return bindings;
  }

  /**
   * The services' rows: what each of contract-validator, mesh-registry and quality-monitor uses,
   * for the application ids of {@code accounts}, the topics of {@code topics}, and whether the
   * services create the mesh's topics.
   */
  public static List<Rule> serviceRules(
      ServiceAccounts accounts, MeshTopics topics, TopicCreation creation) {
    List<Rule> rules = new ArrayList<>();
    var v = new ServiceRules(accounts.validator(), creation);
    v.read(topics.contractProposals, "decides contract proposals");
    v.readWrite(topics.contracts, "the contract log: reads it into a global store, appends to it");
    v.write(topics.contractDecisions, "answers each proposal");
    v.readWrite(
        topics.products, "writes accepted product events; reads them back into a global store");
    v.write(topics.productStats, "per-product record counts");
    v.write(topics.quality, "accepted quality events");
    v.write(topics.violations, "refused control events");
    v.anyTopic(
        List.of(READ, WRITE, CREATE, DESCRIBE_CONFIGS),
        "reads every domain's control and ingest topics (by pattern); writes and creates every"
            + " product's validated and dead-letter topics (and the ingest topic of a declared"
            + " product); checks a product topic another instance just created");
    rules.addAll(v.rules(topics));

    var r = new ServiceRules(accounts.registry(), creation);
    r.read(topics.contracts, "the schema registry API's global store of the contract log");
    r.write(topics.contractProposals, "schema registry writes, as proposals");
    r.read(topics.contractDecisions, "the validator's answers; new versions, for notifications");
    r.read(topics.products, "the catalogue");
    r.read(topics.productStats, "validator counts in the catalogue");
    r.readWrite(topics.subscriptions, "subscriptions, written by the API and materialized");
    r.readWrite(topics.accessGrants, "grant and revoke events; the access reconciler acts on them");
    r.read(topics.qualityStatus, "product health in the catalogue");
    r.read(topics.qualityAlerts, "alerts, notified to subscribers");
    r.readWrite(topics.notifications, "notifications to domains, and each domain's latest");
    r.read(topics.violations, "refused events, notified to owners");
    r.readWrite(topics.issueRequests, "product issue requests: written by the API, then decided");
    r.readWrite(
        topics.issues, "decided issue requests (the history): written, and tailed for the answer");
    r.readWrite(
        topics.observedReaders,
        "the consumer groups observed on product topics: written by the observer, read back");
    r.add(
        GROUP,
        ANY_TOPIC,
        LITERAL,
        List.of(DESCRIBE),
        ALLOW,
        "observed readers: lists every consumer group and its committed offsets on product topics");
    r.anyTopic(
        List.of(WRITE, CREATE, DESCRIBE_CONFIGS),
        "writes each domain's control topics for the domain's API calls, creating them on its"
            + " first write");
    r.add(
        CLUSTER,
        CLUSTER_NAME,
        LITERAL,
        List.of(ALTER, DESCRIBE),
        ALLOW,
        "the access reconciler: creates, deletes and lists ACLs");
    rules.addAll(r.rules(topics));

    var q = new ServiceRules(accounts.quality(), creation);
    q.read(topics.quality, "quality events, evaluated against each product's SLOs");
    q.read(topics.products, "each product's SLOs");
    q.read(topics.productStats, "record counts for the volume SLO");
    q.read(topics.issues, "product issues waiting for an answer, for the response SLO");
    q.readWrite(topics.qualityStatus, "writes product health; the dashboard follows it");
    q.write(topics.qualityAlerts, "raised and cleared alerts");
    rules.addAll(q.rules(topics));
    return List.copyOf(rules);
  }

  /** The services' rows as bindings for their principals. */
  public static Set<AclBinding> serviceBindings(
      ServiceAccounts accounts, MeshTopics topics, TopicCreation creation) {
    Set<AclBinding> bindings = new LinkedHashSet<>();
    for (Rule rule : serviceRules(accounts, topics, creation)) {
      bindings.addAll(rule.bind(accounts.of(rule.grantee()).principal(), null, null));
    }
    return bindings;
  }

  /** Collects one service's rows; {@link #rules} adds the common and generated ones. */
  private static final class ServiceRules {
    private final ServiceAccount account;
    private final TopicCreation creation;
    private final List<Rule> rules = new ArrayList<>();
    private final Set<AclOperation> anyTopic = EnumSet.noneOf(AclOperation.class);
    private final java.util.Map<String, Set<AclOperation>> meshTopicOps = new java.util.HashMap<>();

    ServiceRules(ServiceAccount account, TopicCreation creation) {
      this.account = account;
      this.creation = creation;
    }

    void read(TopicSpec<?, ?> topic, String why) {
      topic(topic, List.of(READ), why);
    }

    void write(TopicSpec<?, ?> topic, String why) {
      topic(topic, List.of(WRITE), why);
    }

    void readWrite(TopicSpec<?, ?> topic, String why) {
      topic(topic, List.of(READ, WRITE), why);
    }

    void topic(TopicSpec<?, ?> topic, List<AclOperation> operations, String why) {
      meshTopicOps
          .computeIfAbsent(topic.name(), n -> EnumSet.noneOf(AclOperation.class))
          .addAll(operations);
      add(TOPIC, topic.name(), LITERAL, operations, ALLOW, why);
    }

    void anyTopic(List<AclOperation> operations, String why) {
      anyTopic.addAll(operations);
      add(TOPIC, ANY_TOPIC, LITERAL, operations, ALLOW, why);
    }

    void add(
        ResourceType type,
        String name,
        PatternType pattern,
        List<AclOperation> operations,
        AclPermissionType permission,
        String why) {
      rules.add(
          new Rule(
              account.service(), Scope.SERVICE, type, name, pattern, operations, permission, why));
    }

    List<Rule> rules(MeshTopics topics) {
      String id = account.applicationId();
      // contract-validator's record loop: its own group, transactional id and counts topic, all
      // named after the application id.
      boolean loop = ServiceAccount.VALIDATOR.equals(account.service());
      List<Rule> all = new ArrayList<>(rules);
      List<Rule> common = new ArrayList<>();
      ServiceRules c = new ServiceRules(account, creation);
      c.add(
          TOPIC,
          MeshTopics.PREFIX,
          PREFIXED,
          List.of(DESCRIBE, DESCRIBE_CONFIGS),
          ALLOW,
          "checks the mesh's topics against the catalogue at start");
      if (creation == TopicCreation.SERVICES) {
        c.add(
            TOPIC,
            MeshTopics.PREFIX,
            PREFIXED,
            List.of(CREATE),
            ALLOW,
            "creates the mesh's missing topics at start (meshbone.create-topics=true)");
      } else if (anyTopic.contains(CREATE)) {
        c.add(
            TOPIC,
            MeshTopics.PREFIX,
            PREFIXED,
            List.of(CREATE),
            DENY,
            "the mesh's topics are the operator's (KafkaTopic resources): takes back the wildcard's"
                + " CREATE");
      }
      c.add(
          TOPIC,
          id + "-",
          PREFIXED,
          List.of(READ, WRITE, CREATE, DELETE, DESCRIBE, DESCRIBE_CONFIGS),
          ALLOW,
          "Kafka Streams' internal repartition and changelog topics (DELETE: purging repartition"
              + " topics)"
              + (loop ? "; the record loop's count deltas, <application.id>-record-counts" : ""));
      c.add(
          GROUP,
          id,
          PREFIXED,
          List.of(READ),
          ALLOW,
          "its consumer groups (application.id"
              + (loop ? "; the record loop's <application.id>-records)" : ")"));
      c.add(
          TRANSACTIONAL_ID,
          id,
          PREFIXED,
          List.of(WRITE, DESCRIBE),
          ALLOW,
          "exactly-once: the transactional ids Kafka Streams derives from application.id"
              + (loop ? ", and the record loop's <application.id>-records-<instance>" : ""));
      c.add(
          CLUSTER,
          CLUSTER_NAME,
          LITERAL,
          List.of(IDEMPOTENT_WRITE),
          ALLOW,
          "idempotent and transactional producers");
      common.addAll(c.rules);
      // The wildcard's READ and WRITE, taken back on every mesh topic not used that way.
      for (AclOperation op : List.of(READ, WRITE)) {
        if (!anyTopic.contains(op)) {
          continue;
        }
        for (TopicSpec<?, ?> topic : topics.all()) {
          if (!meshTopicOps.getOrDefault(topic.name(), Set.of()).contains(op)) {
            common.add(
                new Rule(
                    account.service(),
                    Scope.SERVICE,
                    TOPIC,
                    topic.name(),
                    LITERAL,
                    List.of(op),
                    DENY,
                    "not this service's to "
                        + op.name().toLowerCase(java.util.Locale.ROOT)
                        + ": takes back the wildcard's "
                        + op));
          }
        }
      }
      all.addAll(common);
      return all;
    }
  }

  /**
   * Whether {@code bindings} let {@code principal} do {@code operation} on a resource, as Kafka's
   * StandardAuthorizer decides it: some ALLOW binding matches (by literal name, the wildcard or a
   * prefix; READ, WRITE, DELETE and ALTER imply DESCRIBE, ALTER_CONFIGS implies DESCRIBE_CONFIGS,
   * ALL implies everything) and no DENY binding does.
   */
  public static boolean allows(
      Set<AclBinding> bindings,
      String principal,
      ResourceType type,
      String name,
      AclOperation operation) {
    boolean allowed = false;
    for (AclBinding b : bindings) {
      if (!b.entry().principal().equals(principal)
          || b.pattern().resourceType() != type
          || !matches(b.pattern(), name)) {
        continue;
      }
      AclOperation granted = b.entry().operation();
      if (b.entry().permissionType() == DENY) {
        if (granted == operation || granted == AclOperation.ALL) {
          return false;
        }
      } else if (granted == operation
          || granted == AclOperation.ALL
          || (operation == DESCRIBE
              && (granted == READ || granted == WRITE || granted == DELETE || granted == ALTER))
          || (operation == DESCRIBE_CONFIGS && granted == AclOperation.ALTER_CONFIGS)) {
        allowed = true;
      }
    }
    return allowed;
  }

  private static boolean matches(ResourcePattern pattern, String name) {
    return switch (pattern.patternType()) {
      case LITERAL -> pattern.name().equals(ANY_TOPIC) || pattern.name().equals(name);
      case PREFIXED -> name.startsWith(pattern.name());
      default -> false;
    };
  }

  /** The distinct principals of the bindings, for messages. */
  static Set<String> principals(Set<AclBinding> bindings) {
    return bindings.stream()
        .map(b -> b.entry().principal())
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }
}
