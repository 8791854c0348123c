package dev.meshbone.registry.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshbone.events.ChangeType;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.registry.products.Events;
import dev.meshbone.runtime.access.AclTable;
import dev.meshbone.runtime.access.MeshAccessState;
import dev.meshbone.runtime.access.MeshAccessState.SubscriptionKey;
import dev.meshbone.runtime.access.PrincipalMapping;
import dev.meshbone.runtime.access.ServiceAccount;
import dev.meshbone.runtime.access.ServiceAccounts;
import dev.meshbone.runtime.access.TopicCreation;
import dev.meshbone.testkit.AclProbe;
import dev.meshbone.testkit.SecureKafkaBroker;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.ProductId;
import dev.meshbone.topics.TopicBootstrapper;
import dev.meshbone.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ACL table in force on a real broker that authenticates with SASL/SCRAM-SHA-512 and authorizes
 * with StandardAuthorizer and nothing allowed without an ACL: every row allowed to its principal
 * and denied to a principal without it, and the access reconciler granting, revoking, converging
 * after a restart, repairing what was deleted by hand, and leaving other principals' ACLs alone.
 * One broker for the class; each test uses products of its own.
 */
class AccessReconcilerIT {
  private static final MeshTopics TOPICS = MeshTopics.defaults();
  private static final ServiceAccounts SERVICES = ServiceAccounts.defaults();
  private static final PrincipalMapping MAPPING = PrincipalMapping.defaults();
  private static final String ANY_TOPIC = "probe-domain.anything.ingest";
  private static final ProductId ENROLLMENTS = ProductId.parse("clinical-trials.enrollments");
  private static final ProductId BATCHES = ProductId.parse("supply-chain.batch-releases");

  /** The token claim that names a domain, for OAUTHBEARER clients. */
  private static final String OAUTH_DOMAIN_CLAIM = "mesh_domain";

  private static final List<String> DOMAINS =
      List.of("clinical-trials", "supply-chain", "pharmacovigilance");

  private static SecureKafkaBroker broker;
  private static final Map<String, String> passwords = new HashMap<>();
  private static KafkaProducer<byte[], byte[]> writer;
  private static AccessReconciler reconciler;

  @BeforeAll
  static void start() throws Exception {
    broker = SecureKafkaBroker.start(OAUTH_DOMAIN_CLAIM);
    List<String> users = new ArrayList<>(DOMAINS);
    users.add("outsider");
    SERVICES.all().forEach(s -> users.add(s.userName()));
    users.forEach(u -> passwords.put(u, SecureKafkaBroker.randomSecret()));
    broker.addUsers(passwords);
    try (Admin admin = broker.admin()) {
      new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(30)).ensure(TOPICS.all());
      admin
          .createAcls(AclTable.serviceBindings(SERVICES, TOPICS, TopicCreation.SERVICES))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    writer = new KafkaProducer<>(broker.producerConfig());
    List<String> probed = new ArrayList<>(List.of(ANY_TOPIC, "mesh.probe"));
    for (ServiceAccount s : SERVICES.all()) {
      probed.add(s.applicationId() + "-probe");
    }
    broker.createTopics(1, probed.toArray(String[]::new));
    for (String d : DOMAINS) {
      createTopics(DomainTopics.controlSpecs(d));
    }
    for (ProductId p : List.of(ENROLLMENTS, BATCHES)) {
      declare(p, LifecycleStatus.ACTIVE);
    }
    // Every topic a probe reads holds a record.
    for (String topic : probed) {
      send(topic, "probe", "x".getBytes());
    }
    for (TopicSpec<?, ?> t : TOPICS.all()) {
      send(t.name(), "probe", "x".getBytes());
    }
    subscribe(BATCHES, "pharmacovigilance", SubscriptionState.APPROVED);
    reconciler = startReconciler(Duration.ofSeconds(2));
  }

  @AfterAll
  static void stop() {
    if (reconciler != null) {
      reconciler.close();
    }
    if (writer != null) {
      writer.close();
    }
    broker.close();
  }

  @Test
  void shouldAllowEveryDomainRowToItsDomainAndDenyItToOthers() {
    MeshAccessState state =
        new MeshAccessState(
            Map.of(ENROLLMENTS, LifecycleStatus.ACTIVE, BATCHES, LifecycleStatus.ACTIVE),
            Map.of(new SubscriptionKey(BATCHES, "pharmacovigilance"), SubscriptionState.APPROVED),
            Set.of());
    Set<AclBinding> desired = new LinkedHashSet<>();
    for (String d : DOMAINS) {
      desired.addAll(AclTable.domainBindings(d, state, MAPPING));
    }
    assertThat(desired).hasSizeGreaterThan(20);

    try (var outsider = probe("outsider")) {
      for (AclBinding b : desired) {
        String domain = MAPPING.domainOf(b.entry().principal()).orElseThrow();
        var context = domainContext(domain);
        try (var own = probe(domain)) {
          await("allowed: " + b)
              .pollDelay(Duration.ZERO)
              .atMost(Duration.ofSeconds(20))
              .until(() -> own.allowed(b, context));
        }
        assertThat(outsider.allowed(b, domainContext("pharmacovigilance")))
            .as("denied to User:outsider: " + b)
            .isFalse();
      }
    }

    // What no domain may do, whatever it owns.
    for (String d : DOMAINS) {
      try (var p = probe(d)) {
        var context = domainContext(d);
        for (TopicSpec<?, ?> mesh : TOPICS.all()) {
          assertThat(p.allowed(topic(d, mesh.name(), AclOperation.READ), context))
              .as(d + " reads " + mesh.name())
              .isFalse();
          assertThat(p.allowed(topic(d, mesh.name(), AclOperation.WRITE), context))
              .as(d + " writes " + mesh.name())
              .isFalse();
        }
        for (ProductId product : List.of(ENROLLMENTS, BATCHES)) {
          assertThat(p.allowed(topic(d, product.toString(), AclOperation.WRITE), context))
              .as(d + " writes past the validator to " + product)
              .isFalse();
        }
      }
    }
    try (var p = probe("pharmacovigilance")) {
      var context = domainContext("pharmacovigilance");
      assertThat(
              p.allowed(
                  topic("pharmacovigilance", "clinical-trials.enrollments", AclOperation.READ),
                  context))
          .as("reads a product without a subscription")
          .isFalse();
      assertThat(
              p.allowed(
                  topic("pharmacovigilance", "clinical-trials.enrollments.dlq", AclOperation.READ),
                  context))
          .as("reads another domain's dead letters")
          .isFalse();
      assertThat(
              p.allowed(
                  topic(
                      "pharmacovigilance",
                      "clinical-trials.enrollments.ingest",
                      AclOperation.WRITE),
                  context))
          .as("writes another domain's ingest topic")
          .isFalse();
      assertThat(
              p.allowed(
                  topic(
                      "pharmacovigilance",
                      "clinical-trials.mesh.product-events",
                      AclOperation.WRITE),
                  context))
          .as("writes another domain's control topic")
          .isFalse();
      assertThat(
              p.allowed(
                  binding(
                      "pharmacovigilance",
                      ResourceType.GROUP,
                      "clinical-trials.",
                      PatternType.PREFIXED,
                      AclOperation.READ),
                  context))
          .as("uses another domain's consumer group")
          .isFalse();
      assertThat(
              p.allowed(
                  binding(
                      "pharmacovigilance",
                      ResourceType.TRANSACTIONAL_ID,
                      "clinical-trials.",
                      PatternType.PREFIXED,
                      AclOperation.WRITE),
                  context))
          .as("uses another domain's transactional id")
          .isFalse();
    }
  }

  @Test
  void shouldAllowEveryServiceRowToItsServiceAndDenyItToOthers() {
    List<AclTable.Rule> rules = AclTable.serviceRules(SERVICES, TOPICS, TopicCreation.SERVICES);
    Map<String, AclProbe> probes = new LinkedHashMap<>();
    try (var outsider = probe("outsider")) {
      Set<String> triedOnOutsider = new java.util.HashSet<>();
      for (AclTable.Rule rule : rules) {
        ServiceAccount account = SERVICES.of(rule.grantee());
        var own = probes.computeIfAbsent(account.service(), s -> probe(account.userName()));
        var context = serviceContext(account.service());
        for (AclBinding b : rule.bind(account.principal(), null, null)) {
          boolean allow = b.entry().permissionType() == AclPermissionType.ALLOW;
          if (allow) {
            await("allowed: " + b)
                .pollDelay(Duration.ZERO)
                .atMost(Duration.ofSeconds(20))
                .until(() -> own.allowed(b, context));
            if (triedOnOutsider.add(b.pattern() + "/" + b.entry().operation())) {
              assertThat(outsider.allowed(b, context))
                  .as("denied to User:outsider: " + b)
                  .isFalse();
            }
          } else {
            assertThat(own.allowed(b, context)).as("denied by a DENY row: " + b).isFalse();
          }
        }
      }
    } finally {
      probes.values().forEach(AclProbe::close);
    }
  }

  @Test
  void shouldGrantOnApprovalAndTakeItBackOnRevocationRejectionAndRetirement() throws Exception {
    ProductId visits = ProductId.parse("clinical-trials.visits");
    declare(visits, LifecycleStatus.ACTIVE);
    AclBinding read = topic("supply-chain", visits.toString(), AclOperation.READ);
    try (var consumer = probe("supply-chain")) {
      var context = domainContext("supply-chain");

      subscribe(visits, "supply-chain", SubscriptionState.REQUESTED);
      assertThat(consumer.allowed(read, context)).as("readable while only requested").isFalse();

      subscribe(visits, "supply-chain", SubscriptionState.APPROVED);
      await("approval makes it readable")
          .atMost(Duration.ofSeconds(15))
          .until(() -> consumer.allowed(read, context));

      subscribe(visits, "supply-chain", SubscriptionState.REVOKED);
      await("revocation denies it")
          .atMost(Duration.ofSeconds(15))
          .until(() -> !consumer.allowed(read, context));

      subscribe(visits, "supply-chain", SubscriptionState.REJECTED);
      await("a rejection grants nothing")
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> !consumer.allowed(read, context));

      subscribe(visits, "supply-chain", SubscriptionState.APPROVED);
      await().atMost(Duration.ofSeconds(15)).until(() -> consumer.allowed(read, context));
      declare(visits, LifecycleStatus.RETIRED);
      await("retirement denies the subscriber")
          .atMost(Duration.ofSeconds(15))
          .until(() -> !consumer.allowed(read, context));
    }
    try (var owner = probe("clinical-trials")) {
      var context = domainContext("clinical-trials");
      await("retirement stops the owner's ingest writes")
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  !owner.allowed(
                      topic("clinical-trials", visits + ".ingest", AclOperation.WRITE), context));
      assertThat(
              owner.allowed(topic("clinical-trials", visits + ".dlq", AclOperation.READ), context))
          .as("the owner still reads a retired product's dead letters")
          .isTrue();
    }
  }

  @Test
  void shouldStayStaticWhileDownAndConvergeAfterARestart() throws Exception {
    ProductId sites = ProductId.parse("supply-chain.sites");
    declare(sites, LifecycleStatus.ACTIVE);
    subscribe(sites, "clinical-trials", SubscriptionState.APPROVED);
    AclBinding ctReads = topic("clinical-trials", sites.toString(), AclOperation.READ);
    AclBinding pvReads = topic("pharmacovigilance", sites.toString(), AclOperation.READ);
    AclBinding foreign =
        new AclBinding(
            new ResourcePattern(ResourceType.TOPIC, "operator-tools", PatternType.PREFIXED),
            new AccessControlEntry(
                "User:operator", "*", AclOperation.READ, AclPermissionType.ALLOW));
    AclBinding stray = topic("clinical-trials", "not-in-the-table", AclOperation.WRITE);
    try (var ct = probe("clinical-trials");
        var pv = probe("pharmacovigilance")) {
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> ct.allowed(ctReads, domainContext("clinical-trials")));

      reconciler.close();
      subscribe(sites, "clinical-trials", SubscriptionState.REVOKED);
      subscribe(sites, "pharmacovigilance", SubscriptionState.APPROVED);
      try (Admin admin = broker.admin()) {
        admin.createAcls(List.of(foreign, stray)).all().get(10, TimeUnit.SECONDS);
      }
      await("while the reconciler is down nothing changes")
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(6))
          .until(
              () ->
                  ct.allowed(ctReads, domainContext("clinical-trials"))
                      && !pv.allowed(pvReads, domainContext("pharmacovigilance")));

      reconciler = startReconciler(Duration.ofSeconds(2));
      await("converged after the restart")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  !ct.allowed(ctReads, domainContext("clinical-trials"))
                      && pv.allowed(pvReads, domainContext("pharmacovigilance")));
      await("a binding outside the table, of a managed principal, is removed")
          .atMost(Duration.ofSeconds(15))
          .until(() -> !acls().contains(stray));
      assertThat(acls()).as("another principal's ACL is left alone").contains(foreign);
      assertThat(acls())
          .as("the services' ACLs are left alone")
          .containsAll(AclTable.serviceBindings(SERVICES, TOPICS, TopicCreation.SERVICES));
    }
  }

  @Test
  void shouldRepairAnAclDeletedByHandWithinTheInterval() throws Exception {
    AclBinding dlq = topic("clinical-trials", ENROLLMENTS + ".dlq", AclOperation.READ);
    await().atMost(Duration.ofSeconds(15)).until(() -> acls().contains(dlq));
    try (Admin admin = broker.admin()) {
      admin.deleteAcls(List.of(dlq.toFilter())).all().get(10, TimeUnit.SECONDS);
    }
    assertThat(acls()).doesNotContain(dlq);
    // The interval is 2 s here; nothing about the product changed, only the periodic comparison
    // brings it back.
    await("repaired").atMost(Duration.ofSeconds(10)).until(() -> acls().contains(dlq));
  }

  @Test
  void shouldLetOnlyOneRegistryInstanceWriteAndHandOverWhenItStops() {
    AccessReconciler first = reconciler;
    AccessReconciler second = startReconciler(Duration.ofSeconds(2));
    boolean handedOver = false;
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> first.isWriter() || second.isWriter());
      await("never two writers")
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> first.isWriter() != second.isWriter());
      AccessReconciler writer = first.isWriter() ? first : second;
      AccessReconciler other = writer == first ? second : first;
      writer.close();
      await("the other instance takes over").atMost(Duration.ofSeconds(20)).until(other::isWriter);
      reconciler = other;
      handedOver = true;
    } finally {
      if (!handedOver) {
        second.close();
      }
    }
  }

  /**
   * With SASL/OAUTHBEARER the principal is {@code User:} and the value of one claim of the token: a
   * token whose domain claim says pharmacovigilance gets exactly pharmacovigilance's rows, whatever
   * its subject, under the default mapping.
   */
  @Test
  void shouldGrantAnOauthClientWhatItsDomainClaimNames() {
    var token =
        broker.oauthClientConfig(
            Map.of("sub", "svc-4711", OAUTH_DOMAIN_CLAIM, "pharmacovigilance"));
    var context = domainContext("pharmacovigilance");
    try (var oauth = new AclProbe(token)) {
      await("reads what pharmacovigilance may")
          .pollDelay(Duration.ZERO)
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  oauth.allowed(
                      topic("pharmacovigilance", BATCHES.toString(), AclOperation.READ), context));
      assertThat(
              oauth.allowed(
                  topic("pharmacovigilance", ENROLLMENTS.toString(), AclOperation.READ), context))
          .as("nothing pharmacovigilance may not")
          .isFalse();
    }
    try (var other =
        new AclProbe(
            broker.oauthClientConfig(
                Map.of("sub", "pharmacovigilance", OAUTH_DOMAIN_CLAIM, "outsider")))) {
      assertThat(
              other.allowed(
                  topic("pharmacovigilance", BATCHES.toString(), AclOperation.READ), context))
          .as("the subject does not count, the domain claim does")
          .isFalse();
    }
  }

  @Test
  void shouldRefuseClientsThatDoNotAuthenticate() {
    Map<String, Object> anonymous = new HashMap<>();
    anonymous.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    anonymous.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
    anonymous.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    try (Admin admin = Admin.create(anonymous)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(5, TimeUnit.SECONDS))
          .isInstanceOfAny(ExecutionException.class, java.util.concurrent.TimeoutException.class);
    }
    Map<String, Object> wrong = new HashMap<>(broker.clientConfig("clinical-trials", "guessed"));
    wrong.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
    wrong.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    try (Admin admin = Admin.create(wrong)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
    }
  }

  // Helpers.

  private static AccessReconciler startReconciler(Duration interval) {
    ServiceAccount registry = SERVICES.registry();
    Map<String, Object> client =
        broker.clientConfig(registry.userName(), passwords.get(registry.userName()));
    var r =
        new AccessReconciler(
            new AccessReconciler.Config(
                client,
                client,
                TOPICS,
                MAPPING,
                Set.of(),
                interval,
                registry.applicationId() + "-access-reconciler",
                Duration.ofSeconds(6)));
    r.start();
    return r;
  }

  private static AclProbe probe(String user) {
    return new AclProbe(broker.clientConfig(user, passwords.get(user)));
  }

  private static AclProbe.Context domainContext(String domain) {
    String own =
        domain.equals("clinical-trials")
            ? ENROLLMENTS.toString()
            : domain.equals("supply-chain") ? BATCHES.toString() : BATCHES.toString();
    return new AclProbe.Context(ANY_TOPIC, own, DomainTopics.productEvents(domain));
  }

  private static AclProbe.Context serviceContext(String service) {
    String writable =
        switch (service) {
          case ServiceAccount.VALIDATOR -> TOPICS.products.name();
          case ServiceAccount.REGISTRY -> TOPICS.subscriptions.name();
          default -> TOPICS.qualityStatus.name();
        };
    return new AclProbe.Context(ANY_TOPIC, TOPICS.products.name(), writable);
  }

  private static AclBinding topic(String domain, String topic, AclOperation op) {
    return binding(domain, ResourceType.TOPIC, topic, PatternType.LITERAL, op);
  }

  private static AclBinding binding(
      String domain, ResourceType type, String name, PatternType pattern, AclOperation op) {
    return new AclBinding(
        new ResourcePattern(type, name, pattern),
        new AccessControlEntry(MAPPING.principal(domain), "*", op, AclPermissionType.ALLOW));
  }

  private static Set<AclBinding> acls() throws Exception {
    try (Admin admin = broker.admin()) {
      return Set.copyOf(
          admin.describeAcls(AclBindingFilter.ANY).values().get(10, TimeUnit.SECONDS));
    }
  }

  /** A product as contract-validator would have accepted it, with its three topics. */
  private static void declare(ProductId id, LifecycleStatus status) throws Exception {
    createTopics(DomainTopics.productSpecs(id, 1));
    for (TopicSpec<?, ?> t : DomainTopics.productSpecs(id, 1)) {
      send(t.name(), "probe", "x".getBytes());
    }
    var event =
        Events.event(
            id.toString(),
            status == LifecycleStatus.RETIRED ? ChangeType.RETIRED : ChangeType.CREATED,
            status,
            1,
            Events.descriptor(id.product()).build());
    send(
        TOPICS.products.name(),
        id.toString(),
        TOPICS.products.valueSerde().serializer().serialize(TOPICS.products.name(), event));
  }

  private static void subscribe(ProductId product, String consumer, SubscriptionState state)
      throws Exception {
    var sub = Events.subscription(product.toString(), consumer, state, System.currentTimeMillis());
    send(
        TOPICS.subscriptions.name(),
        Events.subscriptionKey(product.toString(), consumer),
        TOPICS.subscriptions.valueSerde().serializer().serialize(TOPICS.subscriptions.name(), sub));
  }

  private static void createTopics(List<? extends TopicSpec<?, ?>> specs) {
    try (Admin admin = broker.admin()) {
      new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(30)).ensure(specs);
    }
  }

  private static void send(String topic, String key, byte[] value) throws Exception {
    writer
        .send(new ProducerRecord<>(topic, 0, key == null ? null : key.getBytes(), value))
        .get(30, TimeUnit.SECONDS);
  }
}
