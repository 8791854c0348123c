package dev.meshbone.local;

import dev.meshbone.local.HangingTransactions.Open;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.ApiVersions;
import org.apache.kafka.clients.ClientRequest;
import org.apache.kafka.clients.ClientUtils;
import org.apache.kafka.clients.ManualMetadataUpdater;
import org.apache.kafka.clients.MetadataRecoveryStrategy;
import org.apache.kafka.clients.NetworkClient;
import org.apache.kafka.clients.NetworkClientUtils;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarkerTopic;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.network.Selector;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;

/**
 * Writes COMMIT markers, as a transaction coordinator does, with Kafka's {@code WriteTxnMarkers}
 * request ({@code ClusterAction} on the cluster). The admin client can only abort ({@code
 * Admin.abortTransaction}); a transaction its coordinator committed must be committed where its
 * markers never came, or its records would be lost while its input offsets stay committed. Kafka's
 * own network client, so the local mesh's secured listener (SASL) works the same.
 */
final class Markers {
  private static final int TIMEOUT_MS = 30_000;

  private Markers() {}

  /** A COMMIT marker on each partition of {@code open}, sent to the partition's leader. */
  static void commit(Map<String, Object> clientConfig, List<Open> open) throws IOException {
    Map<Node, List<Open>> byLeader = new LinkedHashMap<>();
    for (Open o : open) {
      if (o.leader() == null || o.leader().isEmpty()) {
        throw new IOException(o.partition() + " has no leader to write its marker");
      }
      byLeader.computeIfAbsent(o.leader(), n -> new ArrayList<>()).add(o);
    }
    for (var entry : byLeader.entrySet()) {
      send(clientConfig, entry.getKey(), entry.getValue());
    }
  }

  private static void send(Map<String, Object> clientConfig, Node leader, List<Open> open)
      throws IOException {
    // One marker per producer, epoch and coordinator epoch, with its partitions.
    Map<List<Long>, Map<String, List<Integer>>> grouped = new LinkedHashMap<>();
    for (Open o : open) {
      grouped
          .computeIfAbsent(
              List.of(o.producerId(), (long) o.epoch(), (long) o.coordinatorEpoch()),
              k -> new LinkedHashMap<>())
          .computeIfAbsent(o.partition().topic(), t -> new ArrayList<>())
          .add(o.partition().partition());
    }
    List<WritableTxnMarker> markers = new ArrayList<>();
    grouped.forEach(
        (key, topics) -> {
          List<WritableTxnMarkerTopic> written = new ArrayList<>();
          topics.forEach(
              (topic, partitions) ->
                  written.add(
                      new WritableTxnMarkerTopic().setName(topic).setPartitionIndexes(partitions)));
          markers.add(
              new WritableTxnMarker()
                  .setProducerId(key.get(0))
                  .setProducerEpoch(key.get(1).shortValue())
                  .setCoordinatorEpoch(key.get(2).intValue())
                  .setTransactionResult(true)
                  .setTopics(written));
        });

    var config = new AdminClientConfig(clientConfig);
    var logContext = new LogContext("[local mesh markers] ");
    Time time = Time.SYSTEM;
    var metrics = new Metrics();
    var selector =
        new Selector(
            config.getLong(AdminClientConfig.CONNECTIONS_MAX_IDLE_MS_CONFIG),
            metrics,
            time,
            "local-mesh-markers",
            ClientUtils.createChannelBuilder(config, time, logContext),
            logContext);
    try (var client =
        new NetworkClient(
            selector,
            new ManualMetadataUpdater(List.of(leader)),
            "meshbone-local-markers",
            1,
            50,
            1_000,
            64 * 1024,
            64 * 1024,
            TIMEOUT_MS,
            10_000,
            TIMEOUT_MS,
            time,
            true,
            new ApiVersions(),
            logContext,
            MetadataRecoveryStrategy.NONE)) {
      if (!NetworkClientUtils.awaitReady(client, leader, time, TIMEOUT_MS)) {
        throw new IOException("broker " + leader + " not ready for markers");
      }
      ClientRequest request =
          client.newClientRequest(
              leader.idString(),
              new WriteTxnMarkersRequest.Builder(
                  new WriteTxnMarkersRequestData().setMarkers(markers)),
              time.milliseconds(),
              true);
      var response =
          (WriteTxnMarkersResponse)
              NetworkClientUtils.sendAndReceive(client, request, time).responseBody();
      List<String> failed = new ArrayList<>();
      response
          .errorsByProducerId()
          .forEach(
              (producer, errors) ->
                  errors.forEach(
                      (partition, error) -> {
                        if (error != Errors.NONE) {
                          failed.add(partition + " (producer " + producer + "): " + error);
                        }
                      }));
      if (!failed.isEmpty()) {
        throw new IOException("COMMIT markers refused: " + String.join(", ", failed));
      }
    } finally {
      metrics.close();
    }
  }
}
