package dev.meshbone.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshbone.client.CompatibilityVerdict;
import dev.meshbone.client.Contract;
import dev.meshbone.client.ContractImpact;
import dev.meshbone.client.ContractRefusedException;
import dev.meshbone.client.DataProduct;
import dev.meshbone.client.MeshClientException;
import dev.meshbone.client.MeshIssue;
import dev.meshbone.client.MeshNotification;
import dev.meshbone.client.MeshRequestException;
import dev.meshbone.client.ProductChangeRefusedException;
import dev.meshbone.client.ProductDeclaration;
import dev.meshbone.client.ProductSubscription;
import dev.meshbone.client.PublishedEvent;
import dev.meshbone.client.QualityResult;
import dev.meshbone.client.RegisteredContract;
import dev.meshbone.client.RegistryUnavailableException;
import dev.meshbone.client.UnknownProductException;
import dev.meshbone.client.VerdictPendingException;
import dev.meshbone.client.internal.RegistryHttp.Answer;
import dev.meshbone.events.HealthState;
import dev.meshbone.events.IssueKind;
import dev.meshbone.events.IssueSeverity;
import dev.meshbone.events.IssueState;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.NotificationType;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.topics.ProductId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The mesh registry's product, contract, subscription and notification API, as the SDK uses it:
 * requests built, answers mapped to the SDK's results and exceptions. Blocking; thread-safe.
 */
public final class ProductRegistry {
  private static final Duration POLL = Duration.ofMillis(250);

  private final RegistryHttp http;
  private final String domain;
  private final Duration verdictTimeout;

  public ProductRegistry(RegistryHttp http, String domain, Duration verdictTimeout) {
    this.http = http;
    this.domain = domain;
    this.verdictTimeout = verdictTimeout;
  }

  private static String products(ProductId id) {
    return "/products/" + RegistryHttp.segment(id.toString());
  }

  // Products.

  /** The product as the registry holds it, or null when it does not know it. */
  public DataProduct find(ProductId id) {
    Answer answer = http.get(products(id));
    if (answer.status() == 404) {
      return null;
    }
    requireOk(answer, id, "look up");
    return detail(answer.body());
  }

  /** Whether the registry holds the product. */
  public boolean exists(ProductId id) {
    return find(id) != null;
  }

  /** Declares or updates the product so the registry holds exactly {@code declaration}. */
  public DataProduct declare(ProductId id, ProductDeclaration declaration) {
    ObjectNode descriptor = Descriptors.toJson(declaration);
    for (int round = 0; round < 3; round++) {
      Answer current = http.get(products(id));
      if (current.status() == 404) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        String eventId = UUID.randomUUID().toString();
        body.put("id", id.toString());
        body.set("descriptor", descriptor);
        body.put("eventId", eventId);
        Answer created = http.post("/products", body);
        if (created.status() == 409 && "PRODUCT_EXISTS".equals(created.code())) {
          continue; // declared meanwhile (another instance, or our own retried request)
        }
        return verdict(created, id, eventId, "declare");
      }
      requireOk(current, id, "look up");
      JsonNode product = current.body();
      String status = product.path("lifecycle").path("status").asText();
      if ("RETIRED".equals(status)) {
        throw new MeshRequestException(
            409,
            "PRODUCT_RETIRED",
            id + " is retired and cannot be declared again: choose a new product name");
      }
      if (Descriptors.same(descriptor, product.path("descriptor"))) {
        return detail(product);
      }
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      String eventId = UUID.randomUUID().toString();
      body.set("descriptor", descriptor);
      body.put("eventId", eventId);
      return verdict(http.put(products(id), body), id, eventId, "update");
    }
    throw new MeshClientException(
        "the registry kept changing "
            + id
            + " while it was being declared (another instance declaring it differently?)");
  }

  public DataProduct deprecate(ProductId id, Instant sunsetAt, String reason, String successor) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    String eventId = UUID.randomUUID().toString();
    body.put("sunsetAt", sunsetAt.toString());
    body.put("reason", reason);
    if (successor != null) {
      body.put("successor", successor);
    }
    body.put("eventId", eventId);
    return verdict(http.post(products(id) + "/deprecation", body), id, eventId, "deprecate");
  }

  public DataProduct retire(ProductId id, String reason) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    String eventId = UUID.randomUUID().toString();
    body.put("reason", reason);
    body.put("eventId", eventId);
    return verdict(http.post(products(id) + "/retirement", body), id, eventId, "retire");
  }

  public PublishedEvent publishQuality(ProductId id, QualityResult result) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    String eventId = result.eventId() != null ? result.eventId() : UUID.randomUUID().toString();
    body.put("eventId", eventId);
    body.put("checkName", result.checkName());
    body.put("dimension", result.dimension().name());
    body.put("passed", result.passed());
    body.put("measuredValue", result.measuredValue());
    body.put("threshold", result.threshold());
    body.put("recordCount", result.recordCount());
    body.put(
        "occurredAt",
        (result.occurredAt() == null ? Instant.now() : result.occurredAt()).toString());
    body.put("message", result.message());
    Answer answer = http.post(products(id) + "/quality-results", body);
    requireOk(answer, id, "publish a quality result of");
    JsonNode b = answer.body();
    return new PublishedEvent(
        b.path("eventId").asText(eventId),
        b.path("topic").asText(),
        b.path("partition").asInt(),
        b.path("offset").asLong());
  }

  /**
   * The verdict of a product write: accepted (the product as it now stands), refused (422), or
   * pending (202), in which case the check URL is asked until the verdict timeout.
   */
  private DataProduct verdict(Answer answer, ProductId id, String eventId, String what) {
    if (answer.status() == 202) {
      String check =
          answer.body().hasNonNull("check")
              ? answer.body().get("check").asText()
              : products(id) + "/events/" + eventId;
      long deadline = System.nanoTime() + verdictTimeout.toNanos();
      while (System.nanoTime() < deadline) {
        sleep(POLL);
        Answer status = http.get(check);
        requireOk(status, id, "check the verdict on");
        switch (status.body().path("status").asText()) {
          case "ACCEPTED" -> {
            DataProduct product = find(id);
            if (product != null) {
              return product;
            }
          }
          case "REFUSED" ->
              throw new ProductChangeRefusedException(
                  id.toString(), eventId, what, RefusalReasons.of(status.body().path("reasons")));
          default -> {
            // PENDING: ask again.
          }
        }
      }
      throw new VerdictPendingException(
          id.toString(),
          eventId,
          check,
          "the request to "
              + what
              + " "
              + id
              + " was published, but contract-validator gave no verdict within "
              + verdictTimeout.toSeconds()
              + " s (is it running?). The change is queued and will be decided when it runs;"
              + " ask GET "
              + check
              + ", or call again: a declaration that already holds is not written twice");
    }
    if (answer.status() == 422 && "EVENT_REFUSED".equals(answer.code())) {
      throw new ProductChangeRefusedException(
          id.toString(), eventId, what, RefusalReasons.of(answer.body().path("reasons")));
    }
    requireOk(answer, id, what);
    return visible(id, lifecycle(id, answer.body().path("lifecycle")));
  }

  /**
   * The accepted product once this registry's reads show it: the verdict comes from the validator's
   * output, which the registry's store may take a moment longer to read, and a caller's next call
   * (registering a contract, say) must find what it was just told exists.
   */
  private DataProduct visible(ProductId id, DataProduct accepted) {
    long deadline = System.nanoTime() + verdictTimeout.toNanos();
    while (true) {
      DataProduct now = find(id);
      if (now != null && now.version() >= accepted.version()) {
        return now;
      }
      if (System.nanoTime() > deadline) {
        return accepted;
      }
      sleep(Duration.ofMillis(50));
    }
  }

  private static DataProduct lifecycle(ProductId id, JsonNode lifecycle) {
    return new DataProduct(
        id.toString(),
        status(lifecycle.path("status").asText()),
        lifecycle.path("version").asLong(),
        textOrNull(lifecycle, "lastEventId"),
        instant(textOrNull(lifecycle, "sunsetAt")),
        HealthState.UNKNOWN,
        List.of(),
        null);
  }

  private static DataProduct detail(JsonNode product) {
    JsonNode lifecycle = product.path("lifecycle");
    JsonNode health = product.path("health");
    List<String> reasons = new ArrayList<>();
    health.path("reasons").forEach(r -> reasons.add(r.asText()));
    JsonNode latest = product.path("contract").path("latestVersion");
    return new DataProduct(
        product.path("id").asText(),
        status(lifecycle.path("status").asText()),
        lifecycle.path("version").asLong(),
        textOrNull(lifecycle, "lastEventId"),
        instant(textOrNull(lifecycle, "sunsetAt")),
        health.isObject() ? healthState(health.path("state").asText()) : HealthState.UNKNOWN,
        reasons,
        latest.isNumber() ? latest.asInt() : null);
  }

  // Contracts.

  /** Registers {@code contract} as the next version of the product's contract (or finds it). */
  public RegisteredContract registerContract(ProductId id, Contract contract) {
    String subject = id.defaultValueSubject();
    String path = "/subjects/" + RegistryHttp.segment(subject);
    Answer latest = http.get(path + "/versions/latest");
    int latestVersion = latest.ok() ? latest.body().path("version").asInt() : 0;
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("schemaType", "AVRO");
    body.put("schema", contract.schema().toString());
    if (contract.ruleSet() != null) {
      body.set("ruleSet", RegistryHttp.parse(contract.ruleSet()));
    }
    Answer answer = http.post(path + "/versions", body, UUID.randomUUID().toString());
    if (!answer.ok()) {
      throw contractFailure(id, subject, answer);
    }
    int schemaId = answer.body().path("id").asInt();
    int version =
        answer.body().hasNonNull("version")
            ? answer.body().get("version").asInt()
            : versionOf(subject, schemaId);
    return new RegisteredContract(
        id.toString(), subject, schemaId, version, version > latestVersion);
  }

  private int versionOf(String subject, int schemaId) {
    Answer versions = http.get("/schemas/ids/" + schemaId + "/versions");
    int version = 0;
    if (versions.ok()) {
      for (JsonNode v : versions.body()) {
        if (subject.equals(v.path("subject").asText())) {
          version = Math.max(version, v.path("version").asInt());
        }
      }
    }
    return version;
  }

  /** What {@code contract} would do to the product's consumers ({@code POST .../impact}). */
  public ContractImpact impact(ProductId id, Contract contract) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("schemaType", "AVRO");
    body.put("schema", contract.schema().toString());
    if (contract.ruleSet() != null) {
      body.set("ruleSet", RegistryHttp.parse(contract.ruleSet()));
    }
    Answer answer = http.post(products(id) + "/impact", body);
    if (!answer.ok()) {
      throw failure(answer, id, "check the impact of a contract on");
    }
    JsonNode json = answer.body();
    List<ContractImpact.FieldBreak> breaks = new ArrayList<>();
    json.path("breaks")
        .forEach(
            b ->
                breaks.add(
                    new ContractImpact.FieldBreak(
                        b.path("consumer").asText(),
                        b.path("field").asText(),
                        b.path("kind").asText(),
                        b.path("reason").asText())));
    List<String> messages = new ArrayList<>();
    json.path("messages").forEach(m -> messages.add(m.asText()));
    boolean compatible = json.path("compatible").asBoolean();
    return new ContractImpact(
        compatible,
        compatible ? List.of() : RefusalReasons.compatibility(messages),
        breaks,
        texts(json.path("unaffected")),
        texts(json.path("undeclared")));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** Whether {@code contract} could be registered next, with the reasons when not. */
  public CompatibilityVerdict checkContract(ProductId id, Contract contract) {
    String subject = id.defaultValueSubject();
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("schemaType", "AVRO");
    body.put("schema", contract.schema().toString());
    Answer answer =
        http.post(
            "/compatibility/subjects/"
                + RegistryHttp.segment(subject)
                + "/versions/latest?verbose=true",
            body);
    if (answer.status() == 404) {
      return new CompatibilityVerdict(true, List.of()); // no version yet: anything may be first
    }
    if (!answer.ok()) {
      throw contractFailure(id, subject, answer);
    }
    List<String> messages = new ArrayList<>();
    answer.body().path("messages").forEach(m -> messages.add(m.asText()));
    boolean compatible = answer.body().path("is_compatible").asBoolean();
    return new CompatibilityVerdict(
        compatible, compatible ? List.of() : RefusalReasons.compatibility(messages));
  }

  private MeshClientException contractFailure(ProductId id, String subject, Answer answer) {
    int code = answer.body().path("error_code").asInt(answer.status());
    String message = answer.message();
    if (code == 409 || code == 42201 || code == 42209 || code == 42210 || code == 42202) {
      List<String> reasons =
          code == 409 ? RefusalReasons.compatibility(List.of(message)) : List.of(message);
      boolean gate = code == 409 && message != null && message.contains("declared they read");
      String what =
          gate
              ? "breaks fields that approved consumers declared they read"
              : code == 409
                  ? "is incompatible with its earlier versions"
                  : code == 42210 ? "has rules the mesh cannot use" : "is not a valid contract";
      throw new ContractRefusedException(
          id.toString(),
          subject,
          code,
          "the registry refused the new contract of "
              + id
              + ": it "
              + what
              + ": "
              + String.join("; ", reasons)
              + ". Nothing was registered."
              + (code == 409 && !gate
                  ? " A new field needs a default value, and a field may only be removed if it"
                      + " had one, to stay compatible."
                  : ""),
          reasons);
    }
    if (code == 50002) {
      return new VerdictPendingException(
          id.toString(),
          null,
          null,
          "the contract of "
              + id
              + " was proposed, but contract-validator gave no decision in time (is it"
              + " running?): registering the same contract again returns its version once it is"
              + " decided");
    }
    return failure(answer, id, "register the contract of");
  }

  // Subscriptions.

  public ProductSubscription subscribe(
      ProductId id, String purpose, String principal, java.util.List<String> fields) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("purpose", purpose);
    body.put("principal", principal);
    if (fields != null) {
      fields.forEach(body.putArray("fields")::add);
    }
    Answer answer = http.post(products(id) + "/subscriptions", body);
    requireOk(answer, id, "subscribe to");
    return subscription(answer.body());
  }

  /** Declares (replaces) the fields {@code consumer} reads of the product. */
  public ProductSubscription declareFields(
      ProductId id, String consumer, java.util.List<String> fields) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    fields.forEach(body.putArray("fields")::add);
    Answer answer =
        http.put(products(id) + "/subscriptions/" + RegistryHttp.segment(consumer), body);
    requireOk(answer, id, "declare the fields read of");
    return subscription(answer.body());
  }

  public ProductSubscription decide(ProductId id, String consumer, boolean approve) {
    Answer answer =
        http.post(
            products(id)
                + "/subscriptions/"
                + RegistryHttp.segment(consumer)
                + (approve ? "/approval" : "/rejection"),
            null);
    requireOk(answer, id, (approve ? "approve" : "reject") + " a subscription to");
    return subscription(answer.body());
  }

  public ProductSubscription unsubscribe(ProductId id, String consumer) {
    Answer answer = http.delete(products(id) + "/subscriptions/" + RegistryHttp.segment(consumer));
    requireOk(answer, id, "end a subscription to");
    return subscription(answer.body());
  }

  private static ProductSubscription subscription(JsonNode s) {
    return new ProductSubscription(
        s.path("productId").asText(),
        s.path("consumerDomain").asText(),
        enumValue(SubscriptionState.class, s.path("state").asText(), SubscriptionState.UNKNOWN),
        textOrNull(s, "purpose"),
        textOrNull(s, "decidedBy"),
        s.path("fields").isArray()
            ? java.util.stream.StreamSupport.stream(s.path("fields").spliterator(), false)
                .map(JsonNode::asText)
                .toList()
            : java.util.List.of());
  }

  // Issues.

  public MeshIssue reportIssue(
      ProductId id, IssueKind kind, IssueSeverity severity, String title, String description) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("kind", kind.name());
    body.put("severity", severity.name());
    body.put("title", title);
    body.put("description", description);
    Answer answer = http.post(products(id) + "/issues", body);
    requireOk(answer, id, "report an issue on");
    return issue(answer.body());
  }

  public MeshIssue changeIssueState(
      ProductId id, String issueId, IssueState state, String comment) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("state", state.name());
    body.put("comment", comment);
    Answer answer =
        http.post(products(id) + "/issues/" + RegistryHttp.segment(issueId) + "/state", body);
    requireOk(answer, id, "change the state of issue " + issueId + " of");
    return issue(answer.body());
  }

  public MeshIssue commentOnIssue(ProductId id, String issueId, String text) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("text", text);
    Answer answer =
        http.post(products(id) + "/issues/" + RegistryHttp.segment(issueId) + "/comments", body);
    requireOk(answer, id, "comment on issue " + issueId + " of");
    return issue(answer.body());
  }

  public MeshIssue issue(ProductId id, String issueId) {
    Answer answer = http.get(products(id) + "/issues/" + RegistryHttp.segment(issueId));
    requireOk(answer, id, "read issue " + issueId + " of");
    return issue(answer.body());
  }

  public List<MeshIssue> issues(ProductId id, IssueState state) {
    Answer answer =
        http.get(products(id) + "/issues" + (state == null ? "" : "?state=" + state.name()));
    requireOk(answer, id, "read the issues of");
    List<MeshIssue> list = new ArrayList<>();
    answer.body().path("issues").forEach(i -> list.add(issue(i)));
    return list;
  }

  private static MeshIssue issue(JsonNode i) {
    List<MeshIssue.Entry> thread = new ArrayList<>();
    i.path("thread")
        .forEach(
            e ->
                thread.add(
                    new MeshIssue.Entry(
                        instant(textOrNull(e, "at")),
                        e.path("actor").asText(),
                        e.path("action").asText(),
                        issueState(textOrNull(e, "fromState")),
                        issueState(textOrNull(e, "toState")),
                        textOrNull(e, "text"))));
    return new MeshIssue(
        i.path("issueId").asText(),
        i.path("productId").asText(),
        i.path("reporterDomain").asText(),
        i.path("ownerDomain").asText(),
        enumValue(IssueKind.class, i.path("kind").asText(), IssueKind.UNKNOWN),
        i.path("title").asText(),
        textOrNull(i, "description"),
        enumValue(IssueSeverity.class, i.path("severity").asText(), IssueSeverity.UNKNOWN),
        enumValue(IssueState.class, i.path("state").asText(), IssueState.UNKNOWN),
        instant(textOrNull(i, "openedAt")),
        instant(textOrNull(i, "updatedAt")),
        thread);
  }

  private static IssueState issueState(String text) {
    return text == null ? null : enumValue(IssueState.class, text, IssueState.UNKNOWN);
  }

  // Notifications.

  public List<MeshNotification> notifications(int limit) {
    Answer answer =
        http.get("/domains/" + RegistryHttp.segment(domain) + "/notifications?limit=" + limit);
    if (!answer.ok()) {
      throw failure(answer, null, "read the notifications of " + domain + " from");
    }
    List<MeshNotification> list = new ArrayList<>();
    answer.body().path("notifications").forEach(n -> list.add(notification(n)));
    return list;
  }

  static MeshNotification notification(JsonNode n) {
    Map<String, String> attributes = new LinkedHashMap<>();
    n.path("attributes")
        .fields()
        .forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
    return new MeshNotification(
        n.path("id").asText(),
        n.path("recipient").asText(),
        enumValue(NotificationType.class, n.path("type").asText(), NotificationType.OTHER),
        n.path("productId").asText(),
        n.path("summary").asText(),
        textOrNull(n, "detail"),
        attributes,
        instant(textOrNull(n, "createdAt")));
  }

  // Answers.

  private static void requireOk(Answer answer, ProductId id, String what) {
    if (!answer.ok()) {
      throw failure(answer, id, what);
    }
  }

  /** The exception for an answer that is not a success. */
  static MeshClientException failure(Answer answer, ProductId id, String what) {
    int status = answer.status();
    String code = answer.code();
    if (status == 404 && id != null && ("PRODUCT_NOT_FOUND".equals(code) || "404".equals(code))) {
      return UnknownProductException.of(id.toString(), what + " it");
    }
    if (status >= 500) {
      return new RegistryUnavailableException(
          "the mesh registry failed to "
              + what
              + (id == null ? "" : " " + id)
              + ": HTTP "
              + status
              + " "
              + code
              + ": "
              + answer.message()
              + "; try again later",
          null);
    }
    String advice =
        switch (status) {
          case 401 -> " (name the domain: meshbone.client.domain)";
          case 403 -> " (a domain may only change its own products and subscriptions)";
          default -> "";
        };
    return new MeshRequestException(
        status,
        code,
        "the mesh registry refused to "
            + what
            + (id == null ? "" : " " + id)
            + ": "
            + answer.message()
            + advice);
  }

  private static String textOrNull(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isNull() || v.isMissingNode() ? null : v.asText();
  }

  private static Instant instant(String text) {
    try {
      return text == null ? null : Instant.parse(text);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static LifecycleStatus status(String text) {
    return enumValue(LifecycleStatus.class, text, LifecycleStatus.UNKNOWN);
  }

  private static HealthState healthState(String text) {
    return enumValue(HealthState.class, text, HealthState.UNKNOWN);
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String text, E otherwise) {
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      return otherwise; // a newer registry's value this client does not know
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MeshClientException("interrupted while waiting for a verdict", e);
    }
  }
}
