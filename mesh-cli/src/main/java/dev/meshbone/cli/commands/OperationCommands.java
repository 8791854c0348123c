package dev.meshbone.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshbone.cli.Api;
import dev.meshbone.cli.CliException;
import dev.meshbone.cli.Output;
import dev.meshbone.client.MeshClient;
import dev.meshbone.client.MeshNotification;
import dev.meshbone.client.NotificationStream;
import dev.meshbone.topics.DlqHeaders;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.ProductId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Operations: notifications, health, stats, dead letters. */
public final class OperationCommands {
  private OperationCommands() {}

  @Command(
      name = "notifications",
      mixinStandardHelpOptions = true,
      description =
          "Your domain's (--as) notifications, newest first; --follow streams new ones as they come.")
  public static final class Notifications extends Base {
    @Option(names = "--follow", description = "keep streaming new notifications (Ctrl-C stops)")
    boolean follow;

    @Option(names = "--limit", description = "how many of the latest (1-200, default 20)")
    int limit = 20;

    @Option(names = "--count", description = "with --follow: stop after this many new ones")
    Integer count;

    @Override
    int run() throws InterruptedException {
      String domain = api().config().as();
      if (domain == null) {
        throw CliException.badInput(
            "mesh notifications reads one domain's notifications: give --as DOMAIN");
      }
      api().acting(domain);
      if (limit < 1 || limit > 200) {
        throw CliException.badInput("--limit must be from 1 to 200");
      }
      Output out = output();
      if (!follow) {
        JsonNode list =
            api()
                .registry(domain)
                .get("/domains/" + Api.seg(domain) + "/notifications?limit=" + limit);
        var table =
            new Output.Table("TIME", "TYPE", "PRODUCT", "SUMMARY")
                .whenEmpty("no notifications for " + domain);
        list.path("notifications")
            .forEach(
                n ->
                    table.row(
                        text(n, "createdAt"),
                        text(n, "type"),
                        text(n, "productId"),
                        text(n, "summary")));
        out.emit(list, table);
        return 0;
      }
      LinkedBlockingQueue<MeshNotification> queue = new LinkedBlockingQueue<>();
      try (MeshClient client = api().client(domain);
          NotificationStream stream = Api.sdk(() -> client.notifications(queue::add))) {
        note("following " + domain + "'s notifications (Ctrl-C stops)");
        int seen = 0;
        while (count == null || seen < count) {
          MeshNotification n = queue.poll(1, TimeUnit.SECONDS);
          if (n == null) {
            continue;
          }
          seen++;
          ObjectNode data = Output.object();
          data.put("id", n.id());
          data.put("type", n.type().name());
          data.put("productId", n.productId());
          data.put("summary", n.summary());
          data.put("createdAt", n.createdAt() == null ? null : n.createdAt().toString());
          out.emitLine(
              data, n.createdAt() + "  " + n.type() + "  " + n.productId() + "  " + n.summary());
        }
      }
      return 0;
    }
  }

  @Command(
      name = "health",
      mixinStandardHelpOptions = true,
      description =
          "Quality health from quality-monitor: one product's state and reasons, or every monitored product.")
  public static final class Health extends Base {
    @Parameters(paramLabel = "ID", arity = "0..1")
    String id;

    @Option(names = "--domain", description = "only this domain's products")
    String domain;

    @Option(names = "--state", description = "HEALTHY, DEGRADED, BREACHED, STALE or UNKNOWN")
    String state;

    @Override
    int run() {
      Api.Http http = api().quality();
      if (id != null) {
        ProductId pid = productId(id);
        JsonNode h = http.get("/products/" + Api.seg(pid.toString()));
        var kv = Output.Table.keyValue();
        kv.row("product", text(h, "productId"));
        kv.row("state", text(h, "state"));
        kv.row("pass rate", text(h, "passRate"));
        kv.row("volume", text(h, "volume"));
        kv.row("rejection rate", text(h, "rejectionRate"));
        kv.row(
            "staleness",
            h.hasNonNull("stalenessMs") ? h.get("stalenessMs").asLong() / 1000 + " s" : "-");
        kv.row("evaluated at", text(h, "evaluatedAt"));
        List<String> reasons = texts(h.get("reasons"));
        kv.row("reasons", reasons.isEmpty() ? "-" : reasons.get(0));
        for (int i = 1; i < reasons.size(); i++) {
          kv.row("", reasons.get(i));
        }
        output().emit(h, kv);
        return 0;
      }
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("domain", domain);
      params.put("state", state);
      JsonNode list = http.get("/products" + Api.query(params));
      var table =
          new Output.Table("PRODUCT", "STATE", "PASS RATE", "REASONS")
              .whenEmpty("no monitored products");
      list.forEach(
          h ->
              table.row(
                  text(h, "productId"),
                  text(h, "state"),
                  text(h, "passRate"),
                  String.join("; ", texts(h.get("reasons")))));
      ObjectNode data = Output.object();
      data.set("products", list);
      output().emit(data, table);
      return 0;
    }
  }

  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      description =
          "contract-validator's live counts for a product: valid, invalid by reason, rejection rate.")
  public static final class Stats extends Base {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    int run() {
      ProductId pid = productId(id);
      JsonNode s = api().registry(null).get("/products/" + Api.seg(pid.toString()) + "/stats");
      var kv = Output.Table.keyValue();
      kv.row("product", text(s, "productId"));
      kv.row("valid", text(s, "valid"));
      kv.row("invalid", text(s, "invalid"));
      s.path("invalidByReason")
          .fields()
          .forEachRemaining(e -> kv.row("  " + e.getKey(), e.getValue().asText()));
      kv.row("rejection rate", text(s, "rejectionRate"));
      kv.row("last record", text(s, "lastRecordAt"));
      kv.row("last valid", text(s, "lastValidAt"));
      output().emit(s, kv);
      return 0;
    }
  }

  @Command(
      name = "dlq",
      mixinStandardHelpOptions = true,
      description = {
        "Reads a product's dead-letter topic from Kafka, from the start: each record's reason, rule,"
            + " field and source offset, with the value decoded where it decodes.",
        "Reads without a consumer group (commits nothing). Kafka settings: --bootstrap-servers,"
            + " --kafka NAME=VALUE, MESH_KAFKA_*, or the context's kafka map."
      })
  public static final class Dlq extends Base {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--follow", description = "keep waiting for new dead letters (Ctrl-C stops)")
    boolean follow;

    @Option(names = "--limit", paramLabel = "N", description = "stop after N records")
    Integer limit;

    private final Map<Integer, Schema> schemas = new HashMap<>();

    @Override
    int run() {
      ProductId pid = productId(id);
      String topic = DomainTopics.dlq(pid);
      Properties props = new Properties();
      props.putAll(api().config().kafka());
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, api().config().bootstrapServers());
      props.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
      props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "mesh-cli-dlq");
      props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      Api.Http registry = api().registry(null);
      Output out = output();
      ArrayNode all = Output.JSON.createArrayNode();
      var table =
          new Output.Table("OFFSET", "REASON", "RULE", "FIELD", "SOURCE", "VALUE")
              .whenEmpty("no dead letters in " + topic);
      int seen = 0;
      try (var consumer =
          new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        List<PartitionInfo> infos;
        try (var p =
            progress("reading " + topic + " from Kafka at " + api().config().bootstrapServers())) {
          infos = consumer.partitionsFor(topic);
        }
        if (infos == null || infos.isEmpty()) {
          throw CliException.notFound(
              "no dead-letter topic " + topic + ": is " + pid + " declared?");
        }
        List<TopicPartition> partitions =
            infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Set<TopicPartition> done = new HashSet<>();
        for (TopicPartition tp : partitions) {
          if (end.get(tp) <= consumer.position(tp)) {
            done.add(tp);
          }
        }
        while ((follow || done.size() < partitions.size()) && (limit == null || seen < limit)) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            if (limit != null && seen >= limit) {
              break;
            }
            seen++;
            ObjectNode letter = letter(r, registry);
            String line =
                r.partition()
                    + ":"
                    + r.offset()
                    + "  "
                    + text(letter, "reason")
                    + "  "
                    + text(letter, "rule")
                    + "  "
                    + text(letter, "field")
                    + "  "
                    + text(letter, "sourceTopic")
                    + "["
                    + text(letter, "sourcePartition")
                    + "]@"
                    + text(letter, "sourceOffset")
                    + "  "
                    + text(letter, "decoded");
            if (follow) {
              out.emitLine(letter, line);
            } else {
              all.add(letter);
              table.row(
                  r.partition() + ":" + r.offset(),
                  text(letter, "reason"),
                  text(letter, "rule"),
                  text(letter, "field"),
                  text(letter, "sourceTopic")
                      + "["
                      + text(letter, "sourcePartition")
                      + "]@"
                      + text(letter, "sourceOffset"),
                  text(letter, "decoded"));
            }
          }
          for (TopicPartition tp : partitions) {
            if (consumer.position(tp) >= end.get(tp)) {
              done.add(tp);
            }
          }
        }
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        throw new CliException(
            CliException.UNREACHABLE,
            "Kafka at "
                + api().config().bootstrapServers()
                + " did not answer: "
                + e.getMessage()
                + " (--bootstrap-servers, --kafka, or the context's kafka settings)",
            e);
      } catch (KafkaException e) {
        throw new CliException(CliException.UNREACHABLE, "Kafka: " + e.getMessage(), e);
      }
      if (!follow) {
        ObjectNode data = Output.object();
        data.put("topic", topic);
        data.set("deadLetters", all);
        out.emit(data, table);
      }
      return 0;
    }

    private ObjectNode letter(ConsumerRecord<byte[], byte[]> r, Api.Http registry) {
      ObjectNode l = Output.object();
      l.put("partition", r.partition());
      l.put("offset", r.offset());
      l.put("timestamp", Instant.ofEpochMilli(r.timestamp()).toString());
      l.put("key", r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
      l.put("reason", header(r, DlqHeaders.REASON));
      l.put("message", header(r, DlqHeaders.MESSAGE));
      l.put("rule", header(r, DlqHeaders.RULE));
      l.put("field", header(r, DlqHeaders.FIELD));
      l.put("sourceTopic", header(r, DlqHeaders.SOURCE_TOPIC));
      String partition = header(r, DlqHeaders.SOURCE_PARTITION);
      String offset = header(r, DlqHeaders.SOURCE_OFFSET);
      l.put("sourcePartition", partition == null ? null : Integer.valueOf(partition));
      l.put("sourceOffset", offset == null ? null : Long.valueOf(offset));
      l.put("decoded", decode(r.value(), registry));
      return l;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
      Header h = r.headers().lastHeader(name);
      return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The value as JSON text when it is a whole Avro record under a known id, else null. */
    private String decode(byte[] value, Api.Http registry) {
      if (value == null || value.length < 5 || value[0] != 0) {
        return null;
      }
      int id = ByteBuffer.wrap(value, 1, 4).getInt();
      try {
        Schema schema =
            schemas.computeIfAbsent(
                id,
                k ->
                    new Schema.Parser()
                        .parse(registry.get("/schemas/ids/" + k).path("schema").asText()));
        BinaryDecoder decoder =
            DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null);
        Object record = new GenericDatumReader<>(schema).read(null, decoder);
        return decoder.isEnd() ? GenericData.get().toString(record) : null;
      } catch (RuntimeException | java.io.IOException e) {
        return null;
      }
    }
  }
}
