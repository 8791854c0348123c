package dev.meshbone.runtime.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.runtime.access.MeshAccessState.SubscriptionKey;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.ProductId;
import dev.meshbone.topics.TopicSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class AclTableTest {
  private static final ProductId ENROLLMENTS = ProductId.parse("clinical-trials.enrollments");
  private static final ProductId OLD = ProductId.parse("clinical-trials.old-sites");
  private static final ProductId BATCHES = ProductId.parse("supply-chain.batch-releases");
  private static final PrincipalMapping MAPPING = PrincipalMapping.defaults();

  @Test
  void shouldGiveADomainWriteOnItsControlAndIngestTopicsAndReadOnItsOwnProducts() {
    var state = state(Map.of(ENROLLMENTS, LifecycleStatus.ACTIVE), Map.of());

    Set<AclBinding> bindings = AclTable.domainBindings("clinical-trials", state, MAPPING);

    assertThat(bindings)
        .containsExactlyInAnyOrder(
            topic(
                "User:clinical-trials", "clinical-trials.mesh.product-events", AclOperation.WRITE),
            topic(
                "User:clinical-trials", "clinical-trials.mesh.quality-events", AclOperation.WRITE),
            prefixed(ResourceType.GROUP, "clinical-trials.", AclOperation.READ),
            prefixed(ResourceType.TRANSACTIONAL_ID, "clinical-trials.", AclOperation.WRITE),
            prefixed(ResourceType.TRANSACTIONAL_ID, "clinical-trials.", AclOperation.DESCRIBE),
            binding(
                new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
                "User:clinical-trials",
                AclOperation.IDEMPOTENT_WRITE),
            topic("User:clinical-trials", "clinical-trials.enrollments.ingest", AclOperation.WRITE),
            topic("User:clinical-trials", "clinical-trials.enrollments", AclOperation.READ),
            topic("User:clinical-trials", "clinical-trials.enrollments.dlq", AclOperation.READ));
  }

  @Test
  void shouldNeverGiveADomainAnythingOnMeshTopicsNorWriteOnAValidatedTopic() {
    var state =
        state(
            Map.of(ENROLLMENTS, LifecycleStatus.ACTIVE, BATCHES, LifecycleStatus.ACTIVE),
            Map.of(new SubscriptionKey(BATCHES, "clinical-trials"), SubscriptionState.APPROVED));

    Set<AclBinding> all = AclTable.desired(state, MAPPING);

    assertThat(all).isNotEmpty();
    for (AclBinding b : all) {
      assertThat(b.pattern().name()).as(b.toString()).doesNotStartWith("mesh.");
      assertThat(b.pattern().name()).as(b.toString()).isNotEqualTo("*");
      assertThat(b.entry().permissionType()).isEqualTo(AclPermissionType.ALLOW);
      if (b.pattern().resourceType() == ResourceType.TOPIC
          && b.entry().operation() == AclOperation.WRITE) {
        assertThat(b.pattern().name())
            .matches(".*\\.(ingest|mesh\\.product-events|mesh\\.quality-events)");
      }
    }
  }

  @Test
  void shouldGiveReadOnAProductToTheConsumerOfAnApprovedSubscriptionOnly() {
    for (SubscriptionState s : SubscriptionState.values()) {
      var state =
          state(
              Map.of(ENROLLMENTS, LifecycleStatus.ACTIVE),
              Map.of(new SubscriptionKey(ENROLLMENTS, "pharmacovigilance"), s));

      Set<AclBinding> bindings = AclTable.domainBindings("pharmacovigilance", state, MAPPING);

      assertThat(
              bindings.contains(
                  topic(
                      "User:pharmacovigilance", "clinical-trials.enrollments", AclOperation.READ)))
          .as(s.toString())
          .isEqualTo(s == SubscriptionState.APPROVED);
    }
  }

  @Test
  void shouldTakeBackSubscriptionsAndIngestWritesOfARetiredProduct() {
    var state =
        state(
            Map.of(ENROLLMENTS, LifecycleStatus.RETIRED),
            Map.of(
                new SubscriptionKey(ENROLLMENTS, "pharmacovigilance"), SubscriptionState.APPROVED));

    Set<AclBinding> all = AclTable.desired(state, MAPPING);

    assertThat(all)
        .doesNotContain(
            topic("User:pharmacovigilance", "clinical-trials.enrollments", AclOperation.READ),
            topic("User:clinical-trials", "clinical-trials.enrollments.ingest", AclOperation.WRITE))
        .contains(
            topic("User:clinical-trials", "clinical-trials.enrollments", AclOperation.READ),
            topic("User:clinical-trials", "clinical-trials.enrollments.dlq", AclOperation.READ));
  }

  @Test
  void shouldGiveNothingForASubscriptionToAnUnknownProduct() {
    var state =
        state(
            Map.of(),
            Map.of(new SubscriptionKey(OLD, "pharmacovigilance"), SubscriptionState.APPROVED));

    assertThat(AclTable.domainBindings("pharmacovigilance", state, MAPPING))
        .noneMatch(b -> b.pattern().name().equals(OLD.toString()));
  }

  @Test
  void shouldKnowDomainsFromProductsSubscriptionsAndConfiguration() {
    var state =
        new MeshAccessState(
            Map.of(ENROLLMENTS, LifecycleStatus.ACTIVE),
            Map.of(
                new SubscriptionKey(ENROLLMENTS, "pharmacovigilance"), SubscriptionState.REVOKED),
            Set.of("supply-chain"));

    assertThat(state.domains())
        .containsExactly("clinical-trials", "pharmacovigilance", "supply-chain");
    assertThat(AclTable.principals(AclTable.desired(state, MAPPING)))
        .containsExactly("User:clinical-trials", "User:pharmacovigilance", "User:supply-chain");
  }

  @Test
  void shouldGrantToThePrincipalTheMappingNames() {
    var mapping = PrincipalMapping.of("User:svc-{domain}");
    var state = state(Map.of(ENROLLMENTS, LifecycleStatus.ACTIVE), Map.of());

    assertThat(AclTable.principals(AclTable.desired(state, mapping)))
        .containsExactly("User:svc-clinical-trials");
    assertThat(mapping.domainOf("User:svc-clinical-trials")).contains("clinical-trials");
    assertThat(mapping.domainOf("User:clinical-trials")).isEmpty();
    assertThat(mapping.domainOf("User:svc-meshbone.contract-validator")).isEmpty();
    assertThat(PrincipalMapping.defaults().domainOf("User:meshbone.contract-validator")).isEmpty();
  }

  @Test
  void shouldRefuseAPrincipalTemplateWithoutTheDomain() {
    for (String bad :
        List.of("User:fixed", "clinical-{domain}", "User:{domain}-{domain}", " ", ":{domain}")) {
      assertThatThrownBy(() -> PrincipalMapping.of(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("meshbone.access.principal");
    }
  }

  @Test
  void shouldGiveEachServiceOnlyTheMeshTopicsItUsesAndDenyTheWildcardOnTheOthers() {
    var topics = MeshTopics.defaults();
    var accounts = ServiceAccounts.defaults();
    Set<AclBinding> bindings = AclTable.serviceBindings(accounts, topics, TopicCreation.OPERATOR);

    // What each service may do on each mesh topic, after DENY rows take back the wildcard.
    assertThat(effective(bindings, "User:meshbone.contract-validator", topics))
        .containsEntry("mesh.contracts.proposals", Set.of(AclOperation.READ))
        .containsEntry("mesh.contracts", Set.of(AclOperation.READ, AclOperation.WRITE))
        .containsEntry("mesh.products", Set.of(AclOperation.READ, AclOperation.WRITE))
        .containsEntry("mesh.subscriptions", Set.of())
        .containsEntry("mesh.notifications", Set.of());
    assertThat(effective(bindings, "User:meshbone.mesh-registry", topics))
        .containsEntry("mesh.subscriptions", Set.of(AclOperation.READ, AclOperation.WRITE))
        .containsEntry("mesh.products", Set.of(AclOperation.READ))
        .containsEntry("mesh.contracts", Set.of(AclOperation.READ))
        .containsEntry("mesh.quality", Set.of())
        .containsEntry("mesh.issues.requests", Set.of(AclOperation.READ, AclOperation.WRITE))
        .containsEntry("mesh.issues", Set.of(AclOperation.READ, AclOperation.WRITE));
    assertThat(effective(bindings, "User:meshbone.quality-monitor", topics))
        .containsEntry("mesh.quality", Set.of(AclOperation.READ))
        .containsEntry("mesh.quality.status", Set.of(AclOperation.READ, AclOperation.WRITE))
        .containsEntry("mesh.subscriptions", Set.of());
  }

  @Test
  void shouldLetServicesCreateMeshTopicsOnlyWhenTheyCreateThem() {
    var topics = MeshTopics.defaults();
    var accounts = ServiceAccounts.defaults();
    var create =
        new AclBinding(
            new ResourcePattern(ResourceType.TOPIC, "mesh.", PatternType.PREFIXED),
            new AccessControlEntry(
                "User:meshbone.quality-monitor",
                "*",
                AclOperation.CREATE,
                AclPermissionType.ALLOW));

    assertThat(AclTable.serviceBindings(accounts, topics, TopicCreation.SERVICES)).contains(create);
    assertThat(AclTable.serviceBindings(accounts, topics, TopicCreation.OPERATOR))
        .doesNotContain(create)
        .contains(
            new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, "mesh.", PatternType.PREFIXED),
                new AccessControlEntry(
                    "User:meshbone.contract-validator",
                    "*",
                    AclOperation.CREATE,
                    AclPermissionType.DENY)));
  }

  @Test
  void shouldScopeEveryServiceGroupTransactionalIdAndInternalTopicByItsApplicationId() {
    var accounts =
        new ServiceAccounts(
            ServiceAccount.defaults(ServiceAccount.VALIDATOR).withApplicationId("v-123"),
            ServiceAccount.defaults(ServiceAccount.REGISTRY),
            ServiceAccount.defaults(ServiceAccount.QUALITY));
    Set<AclBinding> validator =
        AclTable.serviceBindings(accounts, MeshTopics.defaults(), TopicCreation.SERVICES).stream()
            .filter(b -> b.entry().principal().equals("User:meshbone.contract-validator"))
            .collect(Collectors.toSet());

    assertThat(validator)
        .filteredOn(
            b ->
                b.pattern().resourceType() != ResourceType.TOPIC
                    && b.pattern().resourceType() != ResourceType.CLUSTER)
        .allSatisfy(b -> assertThat(b.pattern().name()).isEqualTo("v-123"));
    assertThat(validator)
        .anyMatch(
            b ->
                b.pattern().name().equals("v-123-")
                    && b.pattern().patternType() == PatternType.PREFIXED);
  }

  @Test
  void shouldPrintEveryRuleAndRenderServiceRulesForStrimzi() {
    var topics = MeshTopics.defaults();
    var accounts = ServiceAccounts.defaults();
    var rules = new java.util.ArrayList<>(AclTable.domainRules());
    rules.addAll(AclTable.serviceRules(accounts, topics, TopicCreation.OPERATOR));

    String table = AclTableFormat.markdown(rules, MAPPING, accounts);

    assertThat(table.lines()).hasSize(rules.size() + 2);
    assertThat(table)
        .contains(
            "| `User:<domain>` | every domain | topic | `<domain>.mesh.product-events` | literal | Write | allow |")
        .contains("`User:meshbone.contract-validator` (contract-validator)");
    var acls = AclTableFormat.strimziAcls(rules, "quality-monitor");
    assertThat(acls)
        .first()
        .isEqualTo(
            Map.of(
                "type", "allow",
                "resource",
                    Map.of("type", "topic", "name", "mesh.quality", "patternType", "literal"),
                "operations", List.of("Read")));
    assertThat(AclTableFormat.strimziOperation(AclOperation.IDEMPOTENT_WRITE))
        .isEqualTo("IdempotentWrite");
  }

  /** Per mesh topic, the READ and WRITE a principal ends up with: allowed and not denied. */
  private static Map<String, Set<AclOperation>> effective(
      Set<AclBinding> bindings, String principal, MeshTopics topics) {
    Map<String, Set<AclOperation>> result = new HashMap<>();
    for (TopicSpec<?, ?> topic : topics.all()) {
      Set<AclOperation> ops = new java.util.HashSet<>();
      for (AclOperation op : List.of(AclOperation.READ, AclOperation.WRITE)) {
        boolean allowed = false;
        boolean denied = false;
        for (AclBinding b : bindings) {
          if (!b.entry().principal().equals(principal)
              || b.entry().operation() != op
              || b.pattern().resourceType() != ResourceType.TOPIC
              || !matches(b.pattern(), topic.name())) {
            continue;
          }
          if (b.entry().permissionType() == AclPermissionType.DENY) {
            denied = true;
          } else {
            allowed = true;
          }
        }
        if (allowed && !denied) {
          ops.add(op);
        }
      }
      result.put(topic.name(), ops);
    }
    return result;
  }

  private static boolean matches(ResourcePattern pattern, String name) {
    return switch (pattern.patternType()) {
      case LITERAL -> pattern.name().equals("*") || pattern.name().equals(name);
      case PREFIXED -> name.startsWith(pattern.name());
      default -> false;
    };
  }

  private static MeshAccessState state(
      Map<ProductId, LifecycleStatus> products, Map<SubscriptionKey, SubscriptionState> subs) {
    return new MeshAccessState(products, subs, Set.of());
  }

  private static AclBinding topic(String principal, String name, AclOperation op) {
    return binding(
        new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL), principal, op);
  }

  private static AclBinding prefixed(ResourceType type, String name, AclOperation op) {
    return binding(
        new ResourcePattern(type, name, PatternType.PREFIXED), "User:clinical-trials", op);
  }

  private static AclBinding binding(ResourcePattern pattern, String principal, AclOperation op) {
    return new AclBinding(
        pattern, new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
  }
}
