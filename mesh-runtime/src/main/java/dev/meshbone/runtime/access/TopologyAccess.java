package dev.meshbone.runtime.access;

import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.IDEMPOTENT_WRITE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;

import dev.meshbone.topics.MeshTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Checks that the ACL table gives a service everything its Kafka Streams topology uses: READ on
 * every source topic (and on topics its pattern sources match), WRITE on every sink, its internal
 * repartition and changelog topics under its application id, its consumer group, transactional ids
 * and idempotent writes. Each service's tests run it on the real topology, so a new source or sink
 * without a row fails a test rather than a secured deployment.
 */
public final class TopologyAccess {
  private TopologyAccess() {}

  /**
   * What the topology does that {@code bindings} do not allow {@code account}; empty when the table
   * covers it.
   *
   * @param patternSamples topic names to try against the topology's pattern sources (each sample
   *     that a pattern matches must be readable)
   * @param dynamicSinks topic names the topology's dynamic sinks write (product topics)
   */
  public static List<String> missing(
      Topology topology,
      ServiceAccount account,
      Set<AclBinding> bindings,
      MeshTopics topics,
      List<String> patternSamples,
      List<String> dynamicSinks) {
    String principal = account.principal();
    String id = account.applicationId();
    List<String> missing = new ArrayList<>();
    TopologyDescription description = topology.describe();
    for (TopologyDescription.Subtopology sub : description.subtopologies()) {
      for (TopologyDescription.Node node : sub.nodes()) {
        if (node instanceof TopologyDescription.Source source) {
          if (source.topicSet() != null) {
            for (String t : source.topicSet()) {
              check(missing, bindings, principal, topic(t, topics, id), READ, "source");
            }
          }
          Pattern pattern = source.topicPattern();
          if (pattern != null) {
            boolean matched = false;
            for (String sample : patternSamples) {
              if (pattern.matcher(sample).matches()) {
                matched = true;
                check(missing, bindings, principal, sample, READ, "pattern source " + pattern);
              }
            }
            if (!matched) {
              missing.add("no sample topic given for the pattern source " + pattern);
            }
          }
        } else if (node instanceof TopologyDescription.Sink sink) {
          if (sink.topic() != null) {
            check(missing, bindings, principal, topic(sink.topic(), topics, id), WRITE, "sink");
          } else {
            for (String t : dynamicSinks) {
              check(missing, bindings, principal, t, WRITE, "dynamic sink " + sink.name());
            }
          }
        }
      }
    }
    for (TopologyDescription.GlobalStore store : description.globalStores()) {
      for (String t : store.source().topicSet()) {
        check(missing, bindings, principal, topic(t, topics, id), READ, "global store");
      }
    }
    String internal = id + "-some-store-changelog";
    for (AclOperation op : List.of(READ, WRITE, CREATE, DESCRIBE_CONFIGS)) {
      check(missing, bindings, principal, internal, op, "internal topics");
    }
    if (!AclTable.allows(bindings, principal, ResourceType.GROUP, id, READ)) {
      missing.add("READ on its consumer group " + id);
    }
    if (!AclTable.allows(bindings, principal, ResourceType.TRANSACTIONAL_ID, id + "-1-0", WRITE)) {
      missing.add("WRITE on its transactional ids " + id + "-*");
    }
    if (!AclTable.allows(
        bindings, principal, ResourceType.CLUSTER, AclTable.CLUSTER_NAME, IDEMPOTENT_WRITE)) {
      missing.add("IDEMPOTENT_WRITE on the cluster");
    }
    return missing;
  }

  /** A catalogue or domain topic by its name; an internal one under the application id. */
  private static String topic(String name, MeshTopics topics, String applicationId) {
    boolean internal = name.endsWith("-repartition") || name.endsWith("-changelog");
    return internal && topics.byName(name).isEmpty() ? applicationId + "-" + name : name;
  }

  private static void check(
      List<String> missing,
      Set<AclBinding> bindings,
      String principal,
      String topic,
      AclOperation op,
      String what) {
    if (!AclTable.allows(bindings, principal, ResourceType.TOPIC, topic, op)) {
      missing.add(op + " on topic " + topic + " (" + what + ")");
    }
  }
}
