package dev.meshbone.validator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.runtime.access.AclTable;
import dev.meshbone.runtime.access.ServiceAccount;
import dev.meshbone.runtime.access.ServiceAccounts;
import dev.meshbone.runtime.access.TopicCreation;
import dev.meshbone.runtime.access.TopologyAccess;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.validator.control.ControlSettings;
import dev.meshbone.validator.records.RecordLoop;
import dev.meshbone.validator.records.RecordValidationSettings;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** The ACL table gives contract-validator what its topology and its other clients use. */
class ValidatorAclsTest {
  private final MeshTopics topics = MeshTopics.defaults();
  private final ServiceAccount account = ServiceAccount.defaults(ServiceAccount.VALIDATOR);

  @Test
  void shouldUseTheTablesApplicationId() {
    assertThat(account.applicationId()).isEqualTo(ValidatorStreamsApp.APPLICATION_ID);
  }

  @Test
  void shouldBeAllowedEveryTopicItsTopologyReadsAndWrites() {
    for (TopicCreation creation : TopicCreation.values()) {
      var bindings = AclTable.serviceBindings(ServiceAccounts.defaults(), topics, creation);

      assertThat(
              TopologyAccess.missing(
                  ValidatorTopology.build(topics),
                  account,
                  bindings,
                  topics,
                  List.of(
                      "clinical-trials.enrollments.ingest",
                      "clinical-trials.mesh.product-events",
                      "clinical-trials.mesh.quality-events"),
                  List.of("clinical-trials.enrollments", "clinical-trials.enrollments.dlq")))
          .as(creation.toString())
          .isEmpty();
      // The product topic provisioner reads mesh.products and creates every product's topics.
      for (String topic :
          List.of(
              "clinical-trials.enrollments",
              "clinical-trials.enrollments.dlq",
              "clinical-trials.enrollments.ingest")) {
        assertThat(allows(bindings, topic, AclOperation.CREATE)).as(topic).isTrue();
      }
      assertThat(allows(bindings, topics.products.name(), AclOperation.READ)).isTrue();
    }
  }

  @Test
  void shouldBeAllowedWhatTheRecordLoopAndItsTopologyUse() {
    String id = account.applicationId();
    for (TopicCreation creation : TopicCreation.values()) {
      var bindings = AclTable.serviceBindings(ServiceAccounts.defaults(), topics, creation);
      var forLoop =
          ValidatorTopology.buildForLoop(
              topics,
              RecordValidationSettings.defaults(),
              ControlSettings.defaults(),
              RecordLoop.countsTopic(id));

      assertThat(
              TopologyAccess.missing(
                  forLoop.topology(),
                  account,
                  bindings,
                  topics,
                  List.of(
                      "clinical-trials.mesh.product-events", "clinical-trials.mesh.quality-events"),
                  List.of()))
          .as(creation.toString())
          .isEmpty();
      String counts = RecordLoop.countsTopic(id);
      for (AclOperation op : List.of(AclOperation.CREATE, AclOperation.WRITE, AclOperation.READ)) {
        assertThat(allows(bindings, counts, op)).as(counts + " " + op).isTrue();
      }
      assertThat(allows(bindings, "clinical-trials.enrollments.ingest", AclOperation.READ))
          .isTrue();
      for (String topic :
          List.of("clinical-trials.enrollments", "clinical-trials.enrollments.dlq")) {
        assertThat(allows(bindings, topic, AclOperation.WRITE)).as(topic).isTrue();
      }
      assertThat(
              AclTable.allows(
                  bindings,
                  account.principal(),
                  ResourceType.GROUP,
                  id + "-records",
                  AclOperation.READ))
          .isTrue();
      assertThat(
              AclTable.allows(
                  bindings,
                  account.principal(),
                  ResourceType.TRANSACTIONAL_ID,
                  id + "-records-validator-0-0",
                  AclOperation.WRITE))
          .isTrue();
    }
  }

  @Test
  void shouldNeitherReadNorWriteTheMeshTopicsThatAreNotItsOwn() {
    var bindings =
        AclTable.serviceBindings(ServiceAccounts.defaults(), topics, TopicCreation.OPERATOR);

    for (String topic : List.of("mesh.subscriptions", "mesh.access-grants", "mesh.notifications")) {
      assertThat(allows(bindings, topic, AclOperation.READ)).as(topic).isFalse();
      assertThat(allows(bindings, topic, AclOperation.WRITE)).as(topic).isFalse();
    }
    assertThat(allows(bindings, "mesh.new-topic", AclOperation.CREATE)).isFalse();
  }

  private boolean allows(
      java.util.Set<org.apache.kafka.common.acl.AclBinding> bindings,
      String topic,
      AclOperation op) {
    return AclTable.allows(bindings, account.principal(), ResourceType.TOPIC, topic, op);
  }
}
