package dev.meshbone.bench.contracts;

import dev.meshbone.contracts.Subjects;
import dev.meshbone.events.Subscription;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.topics.MeshTopics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What consumers' declared read sets cost, against a running contract-validator and mesh-registry:
 * three products of domain {@code bench} with the same contract: one with {@code consumers}
 * APPROVED subscriptions each declaring two fields ({@code id}, {@code site.code}), one with as
 * many APPROVED subscriptions that declare none, one with no subscription at all.
 *
 * <ol>
 *   <li>impact: {@code POST /products/{id}/impact}, one call after the other, with a candidate that
 *       adds an optional field (every consumer unaffected) and one that removes {@code site} (every
 *       consumer broken), on the product with consumers; the same adding candidate on the product
 *       without any is the baseline
 *   <li>registration: {@code POST /subjects/{subject}/versions} of a compatible new version (one
 *       more optional field), taking the three products' subjects in turn: under the first the
 *       proposal carries every read set and the validator's gate checks each declared field; under
 *       the second there is nothing to check but every subscriber is still notified of the new
 *       version (the gate has no switch: a subject nobody declared fields of is its "off"); the
 *       third has neither
 * </ol>
 *
 * <p>The subscriptions are written straight to {@code mesh.subscriptions}, as the registry writes
 * an approved one, so setting up 1,000 consumers takes a second rather than 1,000 request/replies.
 */
public final class ReadSetGateBench {
  private static final String DOMAIN = "bench";
  private static final String SR = "application/vnd.schemaregistry.v1+json";
  private static final List<String> FIELDS = List.of("id", "site.code");

  private ReadSetGateBench() {}

  /**
   * Sorted latencies (ns), one array per round.
   *
   * @param impactNone the adding candidate on the product with consumers (none broken)
   * @param impactAll the removing candidate on the product with consumers (all broken)
   * @param impactBaseline the adding candidate on the product without consumers
   * @param registerGated registrations under the subject with read sets
   * @param registerPlain registrations under the subject whose subscribers declared no fields
   * @param registerFree registrations under the subject without subscribers
   * @param breaks how many breaks the removing candidate reported (consumers x 1 field)
   */
  public record Result(
      List<long[]> impactNone,
      List<long[]> impactAll,
      List<long[]> impactBaseline,
      List<long[]> registerGated,
      List<long[]> registerPlain,
      List<long[]> registerFree,
      int breaks) {}

  public static Result measure(
      String url,
      String bootstrap,
      String prefix,
      int consumers,
      int warmup,
      int impactCalls,
      int registrations,
      int rounds,
      Consumer<String> log)
      throws Exception {
    var http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    String read = DOMAIN + "." + prefix + "read";
    String plain = DOMAIN + "." + prefix + "plain";
    String free = DOMAIN + "." + prefix + "free";
    for (String product : List.of(read, plain, free)) {
      expect(
          send(
              http,
              url + "/products",
              "application/json",
              "{\"id\":\""
                  + product
                  + "\",\"descriptor\":{\"name\":\"Gate bench\",\"owner\":{\"team\":\"t\"}}}"),
          201,
          "declare " + product);
      register(http, url, product, 0);
    }
    subscribe(bootstrap, read, consumers, FIELDS);
    subscribe(bootstrap, plain, consumers, List.of());
    String adding = candidate(true, true);
    String removing = candidate(false, false);
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      int seen =
          Math.min(
              impact(http, url, read, adding).split("\"reader", -1).length - 1,
              impact(http, url, plain, adding).split("\"reader", -1).length - 1);
      if (seen >= consumers) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the registry shows " + seen + " of " + consumers + " consumers");
      }
      Thread.sleep(200);
    }
    log.accept("read-set gate: " + consumers + " consumers approved");
    int[] versions = {1, 1, 1};
    for (int i = 0; i < warmup; i++) {
      impact(http, url, read, adding);
      impact(http, url, read, removing);
      impact(http, url, free, adding);
      register(http, url, read, versions[0]++);
      register(http, url, plain, versions[1]++);
      register(http, url, free, versions[2]++);
    }
    var result =
        new Result(
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(),
            countBreaks(impact(http, url, read, removing)));
    for (int round = 0; round < rounds; round++) {
      long[] none = new long[impactCalls];
      long[] all = new long[impactCalls];
      long[] base = new long[impactCalls];
      for (int i = 0; i < impactCalls; i++) {
        none[i] = timed(() -> impact(http, url, read, adding));
        all[i] = timed(() -> impact(http, url, read, removing));
        base[i] = timed(() -> impact(http, url, free, adding));
      }
      long[] gated = new long[registrations];
      long[] undeclared = new long[registrations];
      long[] open = new long[registrations];
      for (int i = 0; i < registrations; i++) {
        int v = versions[0]++;
        gated[i] = timed(() -> register(http, url, read, v));
        int u = versions[1]++;
        undeclared[i] = timed(() -> register(http, url, plain, u));
        int w = versions[2]++;
        open[i] = timed(() -> register(http, url, free, w));
      }
      for (long[] a : List.of(none, all, base, gated, undeclared, open)) {
        Arrays.sort(a);
      }
      result.impactNone().add(none);
      result.impactAll().add(all);
      result.impactBaseline().add(base);
      result.registerGated().add(gated);
      result.registerPlain().add(undeclared);
      result.registerFree().add(open);
    }
    return result;
  }

  private static int countBreaks(String answer) {
    int at = answer.indexOf("\"breaks\":[");
    if (at < 0) {
      return 0;
    }
    int end = answer.indexOf("]", at);
    return answer.substring(at, end).split("\"consumer\"", -1).length - 1;
  }

  /** The consumers {@code reader0000...}, APPROVED, each declaring {@code fields}. */
  private static void subscribe(
      String bootstrap, String product, int consumers, List<String> fields) throws Exception {
    var spec = MeshTopics.defaults().subscriptions;
    var config =
        Map.<String, Object>of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all");
    Instant now = Instant.now();
    try (var producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < consumers; i++) {
        String consumer = String.format("reader%04d", i);
        var sub =
            Subscription.newBuilder()
                .setProductId(product)
                .setConsumerDomain(consumer)
                .setState(SubscriptionState.APPROVED)
                .setPurpose("bench")
                .setPrincipal("User:" + consumer)
                .setRequestedAt(now)
                .setUpdatedAt(now)
                .setDecidedBy(DOMAIN)
                .setFields(fields)
                .build();
        String key = product + "|" + consumer;
        producer.send(
            new ProducerRecord<>(
                spec.name(),
                spec.keySerde().serializer().serialize(spec.name(), key),
                spec.valueSerde().serializer().serialize(spec.name(), sub)));
      }
      producer.flush();
    }
  }

  /**
   * The product's contract with {@code optional} extra optional fields ({@code f1...}), with or
   * without {@code site}; {@code extra} adds one more optional field, as a candidate.
   */
  private static String schema(int optional, boolean withSite, boolean extra) {
    var fields = new StringBuilder("{\"name\":\"id\",\"type\":\"string\"}");
    fields.append(",{\"name\":\"n\",\"type\":\"long\",\"default\":0}");
    if (withSite) {
      fields.append(
          ",{\"name\":\"site\",\"type\":{\"type\":\"record\",\"name\":\"Site\",\"fields\":"
              + "[{\"name\":\"code\",\"type\":\"string\"}]}}");
    }
    for (int i = 1; i <= optional; i++) {
      fields.append(",{\"name\":\"f").append(i).append("\",\"type\":[\"null\",\"long\"],");
      fields.append("\"default\":null}");
    }
    if (extra) {
      fields.append(",{\"name\":\"candidate\",\"type\":[\"null\",\"string\"],\"default\":null}");
    }
    return "{\"type\":\"record\",\"name\":\"Visit\",\"namespace\":\"bench\",\"fields\":["
        + fields
        + "]}";
  }

  private static String candidate(boolean withSite, boolean extra) {
    return "{\"schema\":" + quote(schema(0, withSite, extra)) + "}";
  }

  private static void register(HttpClient http, String url, String product, int version) {
    String subject = Subjects.ofTopic(product, false);
    expect(
        send(
            http,
            url + "/subjects/" + subject + "/versions",
            SR,
            "{\"schema\":" + quote(schema(version, true, false)) + "}"),
        200,
        "register " + subject + " with " + version + " optional fields");
  }

  private static String impact(HttpClient http, String url, String product, String body) {
    var r = send(http, url + "/products/" + product + "/impact", "application/json", body);
    expect(r, 200, "impact on " + product);
    return r.body();
  }

  private interface Call {
    void run() throws Exception;
  }

  private static long timed(Call call) throws Exception {
    long t0 = System.nanoTime();
    call.run();
    return System.nanoTime() - t0;
  }

  private static HttpResponse<String> expect(HttpResponse<String> r, int status, String what) {
    if (r.statusCode() != status) {
      throw new IllegalStateException(what + ": " + r.statusCode() + " " + r.body());
    }
    return r;
  }

  private static HttpResponse<String> send(HttpClient http, String url, String type, String body) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(60))
              .header("Content-Type", type)
              .header("Accept", type)
              .header("X-Mesh-Domain", DOMAIN)
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
