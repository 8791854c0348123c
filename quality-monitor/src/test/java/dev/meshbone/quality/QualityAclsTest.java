package dev.meshbone.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.runtime.access.AclTable;
import dev.meshbone.runtime.access.ServiceAccount;
import dev.meshbone.runtime.access.ServiceAccounts;
import dev.meshbone.runtime.access.TopicCreation;
import dev.meshbone.runtime.access.TopologyAccess;
import dev.meshbone.topics.MeshTopics;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** The ACL table gives quality-monitor what its topology and its health feed use, no more. */
class QualityAclsTest {
  private final MeshTopics topics = MeshTopics.defaults();
  private final ServiceAccount account = ServiceAccount.defaults(ServiceAccount.QUALITY);

  @Test
  void shouldBeAllowedEveryTopicItsTopologyAndHealthFeedUse() {
    assertThat(account.applicationId()).isEqualTo(QualityStreamsApp.APPLICATION_ID);
    var bindings =
        AclTable.serviceBindings(ServiceAccounts.defaults(), topics, TopicCreation.OPERATOR);

    assertThat(
            TopologyAccess.missing(
                QualityTopology.build(topics), account, bindings, topics, List.of(), List.of()))
        .isEmpty();
    assertThat(
            AclTable.allows(
                bindings,
                account.principal(),
                ResourceType.TOPIC,
                topics.qualityStatus.name(),
                AclOperation.READ))
        .isTrue();
    for (String t :
        List.of("mesh.subscriptions", "mesh.contracts", "clinical-trials.enrollments")) {
      assertThat(
              AclTable.allows(
                  bindings, account.principal(), ResourceType.TOPIC, t, AclOperation.READ))
          .as(t)
          .isFalse();
    }
  }

  @Test
  void shouldFindWhatAServiceWithoutTheseRowsWouldLack() {
    var bindings =
        AclTable.serviceBindings(ServiceAccounts.defaults(), topics, TopicCreation.OPERATOR);
    var validator = ServiceAccount.defaults(ServiceAccount.VALIDATOR);

    assertThat(
            TopologyAccess.missing(
                QualityTopology.build(topics), validator, bindings, topics, List.of(), List.of()))
        .contains(
            "WRITE on topic mesh.quality.status (sink)",
            "READ on topic mesh.quality (source)",
            "READ on topic mesh.products.stats (source)");
  }
}
