package dev.meshbone.bench.scale;

import dev.meshbone.bench.BenchHttp;
import dev.meshbone.bench.MeshApps;
import dev.meshbone.contracts.Subjects;
import dev.meshbone.local.LocalMesh;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.ProductId;
import dev.meshbone.topics.TopicBootstrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How the mesh behaves as products are added, end to end through the real services
 * (contract-validator and mesh-registry in this JVM, started fresh for the run, with the local
 * mesh's one partition a product topic) over HTTP and Kafka, as a domain team onboarding in bulk
 * would use it.
 *
 * <ol>
 *   <li><b>baseline</b>: a product whose three topics exist before the validator starts is declared
 *       and its contract registered; its first record, written to its ingest topic, is timed until
 *       a read_committed consumer reads it on the product topic.
 *   <li><b>onboarding</b>: {@code clients} threads declare ({@code POST /products}) and register a
 *       contract ({@code POST /subjects/{s}/versions}) for {@code products} products of one domain;
 *       products/s over the whole batch.
 *   <li><b>a new product</b>, with those products on the mesh, while a background producer writes
 *       the baseline product at a steady rate: from its declaration to its first validated record,
 *       and from that record's write (as soon as its ingest topic exists) to validated; and the
 *       background records' latency while it joins.
 * </ol>
 */
public final class ProductScaleBench {
  private static final String SR = "application/vnd.schemaregistry.v1+json";
  private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
  private static final String DOMAIN = "scale";
  private static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"scale\",\"fields\":["
                  + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"n\",\"type\":\"long\"}]}");

  private ProductScaleBench() {}

  /**
   * What one run found.
   *
   * @param baselineWriteToValidatedMs first records of the pre-existing product, written to
   *     validated (ms)
   * @param onboardedPerSecond declare + register, products/s
   * @param declareP50Ms median of the onboarding's {@code POST /products} requests
   * @param registerP50Ms median of the onboarding's registrations
   * @param onboardErrors writes that were not accepted
   * @param declareToValidatedMs per new product: declaration request sent to its first record read
   *     validated
   * @param writeToValidatedMs per new product: its first record written to read validated
   * @param othersP99Ms per new product: p99 latency of the background product's records while it
   *     joined
   * @param othersMaxMs per new product: the highest such latency
   * @param steadyP99Ms the background product's p99 before any new product joins
   * @param bulkPerSecond the same onboarding through the bulk path ({@code POST
   *     /domains/{domain}/products}, declaration and contract in one item): products accepted with
   *     their contract registered, per second
   * @param bulkBatch products per bulk request
   * @param bulkRequestP50Ms median of the bulk requests
   * @param bulkErrors bulk products not accepted (declaration or contract)
   */
  public record Result(
      List<Double> baselineWriteToValidatedMs,
      double onboardedPerSecond,
      double declareP50Ms,
      double registerP50Ms,
      int onboardErrors,
      List<Double> declareToValidatedMs,
      List<Double> writeToValidatedMs,
      List<Double> othersP99Ms,
      List<Double> othersMaxMs,
      double steadyP99Ms,
      double bulkPerSecond,
      int bulkBatch,
      double bulkRequestP50Ms,
      int bulkErrors) {}

  /**
   * Starts fresh services on {@code bootstrap}, onboards {@code products} products with {@code
   * clients} concurrent clients, then joins {@code joins} new products one after the other. Product
   * names start with {@code run} so runs on one broker do not meet.
   */
  public static Result measure(
      String bootstrap, String run, int products, int clients, int joins, Consumer<String> log)
      throws Exception {
    ProductId base = new ProductId(DOMAIN, run + "base");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(30))
          .ensure(DomainTopics.productSpecs(base, LocalMesh.PRODUCT_PARTITIONS));
    }
    // On one broker, as the local mesh: one partition a product topic (docs/record-validation.md,
    // "How the mesh scales with products", says why).
    Map<String, Object> oneBroker =
        Map.of("meshbone.validator.product-partitions", LocalMesh.PRODUCT_PARTITIONS);
    try (var apps = MeshApps.start(bootstrap, oneBroker);
        var producer = producer(bootstrap)) {
      var api = new Api(apps.registryUrl());
      // Baseline: the pre-existing product, declared and registered now.
      int baseId = api.onboard(base);
      List<Double> baseline = new ArrayList<>();
      try (var reader = new Reader(bootstrap, base)) {
        for (int i = 0; i < 3; i++) {
          long written = write(producer, base, baseId, "b" + i);
          baseline.add(reader.awaitNext(Duration.ofSeconds(60)) - written / 1e6);
        }
      }
      log.accept("baseline write->validated ms " + baseline);

      // Onboarding: clients threads, products in all.
      var next = new AtomicInteger();
      var errors = new AtomicInteger();
      List<Thread> workers = new ArrayList<>();
      long start = System.nanoTime();
      for (int c = 0; c < clients; c++) {
        Thread t =
            new Thread(
                () -> {
                  int i;
                  while ((i = next.getAndIncrement()) < products) {
                    try {
                      api.onboard(new ProductId(DOMAIN, run + "p" + i));
                    } catch (RuntimeException e) {
                      errors.incrementAndGet();
                    }
                  }
                });
        workers.add(t);
        t.start();
      }
      for (Thread t : workers) {
        t.join();
      }
      double perSecond = products / ((System.nanoTime() - start) / 1e9);
      double declareP50 = median(List.copyOf(api.declareMs));
      double registerP50 = median(List.copyOf(api.registerMs));
      log.accept(
          String.format(
              "onboarded %d products at %.1f/s; per request p50: declare %.0f ms, register %.0f ms",
              products, perSecond, declareP50, registerP50));

      // New products joining while the baseline product is written at a steady rate.
      var load = new Background(bootstrap, producer, base, baseId);
      load.start();
      try {
        Thread.sleep(3000);
        double steady = load.p99AndReset();
        List<Double> declareToValidated = new ArrayList<>();
        List<Double> writeToValidated = new ArrayList<>();
        List<Double> othersP99 = new ArrayList<>();
        List<Double> othersMax = new ArrayList<>();
        for (int j = 0; j < joins; j++) {
          ProductId product = new ProductId(DOMAIN, run + "new" + j);
          load.p99AndReset();
          long declared = System.nanoTime();
          int id;
          try {
            id = api.onboard(product);
          } catch (RuntimeException e) {
            // A declaration that got no verdict in time (a loaded machine): this join is not
            // measured, the rest of the section still is.
            log.accept("new product " + product + " not onboarded: " + e.getMessage());
            for (var list : List.of(declareToValidated, writeToValidated, othersP99, othersMax)) {
              list.add(Double.NaN);
            }
            continue;
          }
          try (var reader = new Reader(bootstrap, product)) {
            awaitTopic(producer, DomainTopics.ingest(product));
            long written = write(producer, product, id, "first");
            double validated = reader.awaitNext(Duration.ofSeconds(120));
            declareToValidated.add(validated - declared / 1e6);
            writeToValidated.add(validated - written / 1e6);
          }
          othersP99.add(load.p99());
          othersMax.add(load.max());
          log.accept(
              String.format(
                  "new product %s: declare->validated %.0f ms, write->validated %.0f ms,"
                      + " others p99 %.0f ms max %.0f ms",
                  product,
                  declareToValidated.get(j),
                  writeToValidated.get(j),
                  othersP99.get(j),
                  othersMax.get(j)));
          Thread.sleep(1000);
        }
        load.close();
        // The same onboarding through the bulk path, after the joins so they are measured as
        // before: as many products again, the same 8 clients, each request a batch.
        int batch = Math.max(1, Math.min(BULK_LIMIT, (products + clients - 1) / clients));
        var bulk = bulk(api, run, products, clients, batch);
        log.accept(
            String.format(
                "bulk: onboarded %d products at %.1f/s in batches of %d; request p50 %.0f ms,"
                    + " %d not accepted",
                products, bulk.perSecond(), batch, bulk.p50Ms(), bulk.errors()));
        return new Result(
            baseline,
            perSecond,
            declareP50,
            registerP50,
            errors.get(),
            declareToValidated,
            writeToValidated,
            othersP99,
            othersMax,
            steady,
            bulk.perSecond(),
            batch,
            bulk.p50Ms(),
            bulk.errors());
      } finally {
        load.close();
      }
    }
  }

  /** The registry's limit on products in one bulk request. */
  private static final int BULK_LIMIT = 100;

  private record Bulk(double perSecond, double p50Ms, int errors) {}

  /**
   * Onboards {@code products} products (named {@code run}q0, q1...) with {@code clients} threads,
   * each posting batches of {@code batch} to {@code POST /domains/{domain}/products}, declaration
   * and contract schema in each item. A product counts only if its result says ACCEPTED with its
   * contract REGISTERED: both decided by contract-validator.
   */
  private static Bulk bulk(Api api, String run, int products, int clients, int batch)
      throws InterruptedException {
    var next = new AtomicInteger();
    var accepted = new AtomicInteger();
    var requestMs = new ConcurrentLinkedQueue<Double>();
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      Thread t =
          new Thread(
              () -> {
                int first;
                while ((first = next.getAndAdd(batch)) < products) {
                  List<ProductId> ids = new ArrayList<>();
                  for (int i = first; i < Math.min(first + batch, products); i++) {
                    ids.add(new ProductId(DOMAIN, run + "q" + i));
                  }
                  long t0 = System.nanoTime();
                  try {
                    accepted.addAndGet(api.onboardAll(ids));
                  } catch (RuntimeException e) {
                    // counted as not accepted
                  }
                  requestMs.add((System.nanoTime() - t0) / 1e6);
                }
              });
      workers.add(t);
      t.start();
    }
    for (Thread t : workers) {
      t.join();
    }
    // Only what was decided counts: a product whose verdict did not come in time is not onboarded.
    double perSecond = accepted.get() / ((System.nanoTime() - start) / 1e9);
    return new Bulk(perSecond, median(List.copyOf(requestMs)), products - accepted.get());
  }

  /** Writes one record; returns System.nanoTime() when the broker acknowledged it. */
  private static long write(
      KafkaProducer<byte[], byte[]> producer, ProductId product, int schemaId, String key)
      throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                DomainTopics.ingest(product), key.getBytes(), value(schemaId, key, 0)))
        .get();
    return System.nanoTime();
  }

  static byte[] value(int schemaId, String id, long n) throws IOException {
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("id", id);
    r.put("n", n);
    var out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(SCHEMA).write(r, enc);
    enc.flush();
    return out.toByteArray();
  }

  private static void awaitTopic(KafkaProducer<byte[], byte[]> producer, String topic)
      throws InterruptedException {
    // partitionsFor blocks up to max.block.ms for an unknown topic and then throws.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        if (!producer.partitionsFor(topic).isEmpty()) {
          return;
        }
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(10);
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 200);
    return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** A read_committed reader of a product's validated topic, assigned once the topic exists. */
  private static final class Reader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private boolean assigned;

    Reader(String bootstrap, ProductId product) {
      this.consumer = consumer(bootstrap);
      this.topic = DomainTopics.validated(product);
      tryAssign();
    }

    private void tryAssign() {
      if (assigned) {
        return;
      }
      var infos = consumer.listTopics(Duration.ofSeconds(5)).get(topic);
      if (infos != null && !infos.isEmpty()) {
        var parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position);
        assigned = true;
      }
    }

    /** Waits for the next record; the time (ms, nanoTime scale) it was read. */
    double awaitNext(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        tryAssign();
        if (!assigned) {
          Thread.sleep(10);
          continue;
        }
        if (!consumer.poll(Duration.ofMillis(5)).isEmpty()) {
          return System.nanoTime() / 1e6;
        }
      }
      throw new IllegalStateException("no validated record on " + topic + " in " + timeout);
    }

    @Override
    public void close() {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  /** 100 records/s to one product, each stamped with its send time; their read latencies. */
  private static final class Background implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final ProductId product;
    private final int schemaId;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();

    Background(
        String bootstrap, KafkaProducer<byte[], byte[]> producer, ProductId product, int id) {
      this.producer = producer;
      this.product = product;
      this.schemaId = id;
      this.consumer = consumer(bootstrap);
    }

    void start() {
      String topic = DomainTopics.validated(product);
      var parts =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToEnd(parts);
      parts.forEach(consumer::position);
      threads.add(
          new Thread(
              () -> {
                long n = 0;
                while (!stop.get()) {
                  try {
                    producer.send(
                        new ProducerRecord<>(
                            DomainTopics.ingest(product),
                            null,
                            System.currentTimeMillis(),
                            ("k" + n % 16).getBytes(),
                            value(schemaId, "bg", n++)));
                    Thread.sleep(10);
                  } catch (Exception e) {
                    return;
                  }
                }
              }));
      threads.add(
          new Thread(
              () -> {
                while (!stop.get()) {
                  for (var r : consumer.poll(Duration.ofMillis(50))) {
                    latencies.add(System.currentTimeMillis() - r.timestamp());
                  }
                }
                consumer.close(Duration.ofSeconds(1));
              }));
      threads.forEach(Thread::start);
    }

    private long[] sorted() {
      return latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    double p99() {
      long[] s = sorted();
      return s.length == 0 ? Double.NaN : s[Math.max(0, (int) Math.ceil(0.99 * s.length) - 1)];
    }

    double max() {
      long[] s = sorted();
      return s.length == 0 ? Double.NaN : s[s.length - 1];
    }

    double p99AndReset() {
      double p = p99();
      latencies.clear();
      return p;
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      for (Thread t : threads) {
        t.join(5000);
      }
    }
  }

  /** The registry's HTTP API as a domain team's client uses it. */
  private static final class Api {
    private final HttpClient http = BenchHttp.client(Duration.ofSeconds(5));
    private final String url;
    final ConcurrentLinkedQueue<Double> declareMs = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Double> registerMs = new ConcurrentLinkedQueue<>();

    Api(String url) {
      this.url = url;
    }

    /** Declares the product and registers its value contract; the schema id. */
    int onboard(ProductId product) {
      String descriptor = "{\"name\":\"P\",\"description\":\"bench\",\"owner\":{\"team\":\"t\"}}";
      long t0 = System.nanoTime();
      var declared =
          send(
              "/products",
              "application/json",
              "{\"id\":\"" + product + "\",\"descriptor\":" + descriptor + "}");
      if (declared.statusCode() != 201) {
        throw new IllegalStateException("declare " + product + ": " + declared.body());
      }
      long t1 = System.nanoTime();
      declareMs.add((t1 - t0) / 1e6);
      String subject = Subjects.valueSubject(product);
      String schema = SCHEMA.toString().replace("\\", "\\\\").replace("\"", "\\\"");
      var registered =
          send("/subjects/" + subject + "/versions", SR, "{\"schema\":\"" + schema + "\"}");
      registerMs.add((System.nanoTime() - t1) / 1e6);
      Matcher id = ID.matcher(registered.body());
      if (registered.statusCode() != 200 || !id.find()) {
        throw new IllegalStateException("register " + subject + ": " + registered.body());
      }
      return Integer.parseInt(id.group(1));
    }

    private static final Pattern OUTCOME =
        // A contract is REGISTERED only for a product whose declaration was ACCEPTED.
        Pattern.compile("\"schema\":\\{[^}]*\"status\":\"REGISTERED\"");

    /**
     * Declares the products and registers their value contracts in one bulk request; how many came
     * back ACCEPTED with their contract REGISTERED.
     */
    int onboardAll(List<ProductId> products) {
      String descriptor = "{\"name\":\"P\",\"description\":\"bench\",\"owner\":{\"team\":\"t\"}}";
      String schema = "\"" + SCHEMA.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
      StringBuilder body = new StringBuilder("[");
      for (ProductId p : products) {
        body.append(body.length() > 1 ? "," : "")
            .append("{\"id\":\"")
            .append(p)
            .append("\",\"descriptor\":")
            .append(descriptor)
            .append(",\"schema\":")
            .append(schema)
            .append('}');
      }
      var answer =
          send("/domains/" + DOMAIN + "/products", "application/json", body.append(']').toString());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException("bulk onboarding: " + answer.body());
      }
      int ok = 0;
      Matcher m = OUTCOME.matcher(answer.body());
      while (m.find()) {
        ok++;
      }
      return ok;
    }

    private HttpResponse<String> send(String path, String type, String body) {
      try {
        return http.send(
            HttpRequest.newBuilder(URI.create(url + path))
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
  }

  static double median(List<Double> values) {
    double[] s = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return s.length == 0 ? Double.NaN : s[s.length / 2];
  }
}
