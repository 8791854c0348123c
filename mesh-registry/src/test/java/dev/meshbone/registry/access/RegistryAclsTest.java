package dev.meshbone.registry.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.registry.RegistryStreamsApp;
import dev.meshbone.registry.RegistryTopology;
import dev.meshbone.runtime.access.AclTable;
import dev.meshbone.runtime.access.ServiceAccount;
import dev.meshbone.runtime.access.ServiceAccounts;
import dev.meshbone.runtime.access.TopicCreation;
import dev.meshbone.runtime.access.TopologyAccess;
import dev.meshbone.topics.MeshTopics;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** The ACL table gives mesh-registry what its topology, its API and its reconciler use. */
class RegistryAclsTest {
  private final MeshTopics topics = MeshTopics.defaults();
  private final ServiceAccount account = ServiceAccount.defaults(ServiceAccount.REGISTRY);
  private final Set<AclBinding> bindings =
      AclTable.serviceBindings(ServiceAccounts.defaults(), topics, TopicCreation.OPERATOR);

  @Test
  void shouldUseTheTablesApplicationId() {
    assertThat(account.applicationId())
        .isEqualTo(RegistryStreamsApp.APPLICATION_ID)
        .isEqualTo(new RegistryStreamsApp(topics).applicationId());
  }

  @Test
  void shouldBeAllowedEveryTopicItsTopologyReadsAndWrites() {
    assertThat(
            TopologyAccess.missing(
                RegistryTopology.build(topics), account, bindings, topics, List.of(), List.of()))
        .isEmpty();
  }

  @Test
  void shouldBeAllowedWhatItsApiAndReconcilerUse() {
    // SubscriptionService, ContractWriter, ProductWriter (each domain's control topics).
    assertThat(allows(topics.subscriptions.name(), AclOperation.WRITE)).isTrue();
    // IssueService writes requests and tails the decisions.
    assertThat(allows(topics.issueRequests.name(), AclOperation.WRITE)).isTrue();
    assertThat(allows(topics.issues.name(), AclOperation.READ)).isTrue();
    assertThat(allows(topics.contractProposals.name(), AclOperation.WRITE)).isTrue();
    assertThat(allows(topics.contractDecisions.name(), AclOperation.READ)).isTrue();
    for (String control : List.of("sales.mesh.product-events", "sales.mesh.quality-events")) {
      assertThat(allows(control, AclOperation.WRITE)).as(control).isTrue();
      assertThat(allows(control, AclOperation.CREATE)).as(control).isTrue();
      assertThat(allows(control, AclOperation.DESCRIBE_CONFIGS)).as(control).isTrue();
    }
    // The tails of mesh.products, mesh.violations, mesh.notifications; the reconciler's inputs.
    for (String t :
        List.of(
            "mesh.products",
            "mesh.violations",
            "mesh.notifications",
            "mesh.subscriptions",
            "mesh.access-grants")) {
      assertThat(allows(t, AclOperation.READ)).as(t).isTrue();
    }
    // The reconciler's lock group, and ACLs.
    assertThat(
            AclTable.allows(
                bindings,
                account.principal(),
                ResourceType.GROUP,
                account.applicationId() + "-access-reconciler",
                AclOperation.READ))
        .isTrue();
    for (AclOperation op : List.of(AclOperation.ALTER, AclOperation.DESCRIBE)) {
      assertThat(
              AclTable.allows(
                  bindings, account.principal(), ResourceType.CLUSTER, AclTable.CLUSTER_NAME, op))
          .as(op.toString())
          .isTrue();
    }
  }

  @Test
  void shouldNeverWriteWhatOnlyTheValidatorWrites() {
    for (String t :
        List.of("mesh.products", "mesh.contracts", "mesh.contracts.decisions", "mesh.quality")) {
      assertThat(allows(t, AclOperation.WRITE)).as(t).isFalse();
    }
    assertThat(allows("sales.orders", AclOperation.READ)).as("a domain's product").isFalse();
  }

  private boolean allows(String topic, AclOperation op) {
    return AclTable.allows(bindings, account.principal(), ResourceType.TOPIC, topic, op);
  }
}
