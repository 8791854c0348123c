package dev.meshbone.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MeshTopicsTest {
  private final MeshTopics topics = MeshTopics.defaults();

  @Test
  void shouldDeclareEveryMeshTopicOfTheDesign() {
    assertThat(topics.all())
        .extracting(TopicSpec::name)
        .containsExactlyInAnyOrder(
            "mesh.contracts.proposals",
            "mesh.contracts",
            "mesh.contracts.decisions",
            "mesh.products",
            "mesh.products.stats",
            "mesh.subscriptions",
            "mesh.access-grants",
            "mesh.quality",
            "mesh.quality.status",
            "mesh.quality.alerts",
            "mesh.notifications",
            "mesh.violations",
            "mesh.issues.requests",
            "mesh.issues",
            "mesh.readers.observed");
  }

  @Test
  void shouldKeepTheIssueHistoryWithoutATimeLimit() {
    assertThat(topics.issues.configs())
        .containsEntry("cleanup.policy", "delete")
        .containsEntry("retention.ms", "-1");
    assertThat(topics.issueRequests.partitions()).isEqualTo(topics.products.partitions());
  }

  @Test
  void shouldNameEveryMeshTopicUnderTheMeshPrefix() {
    assertThat(MeshTopics.PREFIX).isEqualTo("mesh.");
    assertThat(topics.all()).allSatisfy(t -> assertThat(t.name()).startsWith(MeshTopics.PREFIX));
  }

  @Test
  void shouldCompactTheStateTopicsAndDeleteTheEventTopics() {
    Set<String> compacted =
        topics.all().stream()
            .filter(t -> t.cleanup() == CleanupPolicy.COMPACT)
            .map(TopicSpec::name)
            .collect(Collectors.toSet());
    assertThat(compacted)
        .containsExactlyInAnyOrder(
            "mesh.contracts",
            "mesh.products",
            "mesh.products.stats",
            "mesh.subscriptions",
            "mesh.quality.status",
            "mesh.readers.observed");
    assertThat(topics.products.configs()).containsEntry("cleanup.policy", "compact");
    assertThat(topics.quality.configs())
        .containsEntry("cleanup.policy", "delete")
        .containsKey("retention.ms");
  }

  @Test
  void shouldKeepTheContractLogOnOnePartitionWhateverTheDeployment() {
    MeshTopics wide = MeshTopics.withPartitions(24);
    assertThat(wide.contracts.partitions()).isEqualTo(1);
    assertThat(wide.contractProposals.partitions()).isEqualTo(1);
    assertThat(wide.contracts.exactPartitions()).isTrue();
    assertThat(wide.products.partitions()).isEqualTo(24);
    // Product-keyed topics are co-partitioned so they join without a repartition.
    assertThat(
            List.of(
                wide.qualityStatus.partitions(),
                wide.productStats.partitions(),
                wide.quality.partitions(),
                wide.subscriptions.partitions(),
                wide.issueRequests.partitions(),
                wide.issues.partitions()))
        .containsOnly(wide.products.partitions());
  }
}
