package dev.meshbone.bench.soak;

import dev.meshbone.client.Contract;
import dev.meshbone.client.ContractRule;
import dev.meshbone.client.MeshClient;
import dev.meshbone.client.MeshClientSettings;
import dev.meshbone.client.ProductDeclaration;
import dev.meshbone.local.demo.DemoMesh;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.ProductId;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code bin/soak [--minutes N]}: the mesh under a steady load for a long while, with faults on a
 * schedule, then an account of every record.
 *
 * <p>The broker (the local mesh's single-node KRaft broker) and the three services each run in a
 * JVM of their own, as on a real cluster, so each can be killed alone; the services are static
 * group members ({@code meshbone.instance-id}), as the local mesh and the Kubernetes manifests run
 * them. The pharma demo runs against them, and one more product, {@code soak.readings}, takes a
 * steady stream of records: nine in ten valid, the rest breaking a data rule or not Avro at all.
 * Every {@code --fault-every} seconds one of these is SIGKILLed and started again, in turn: the
 * broker, contract-validator, mesh-registry, quality-monitor.
 *
 * <p>At the end it waits for the output to settle, reads the product topic and its DLQ with a
 * {@code read_committed} consumer and prints what was sent, validated, dead-lettered, lost,
 * duplicated and out of order, the worst output stall, and for each fault the time until the output
 * moved again and until the process was healthy. Exits 1 if a record was lost, duplicated, out of
 * order or in the wrong topic.
 *
 * <p>Options: {@code --minutes N} of load, once the mesh is up (default 10), {@code --rate R}
 * records/s (default 500), {@code --fault-every S} seconds (default 60), {@code --no-demo}.
 */
public final class Soak {
  private static final String SCHEMA =
      "{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"soak\",\"fields\":["
          + "{\"name\":\"seq\",\"type\":\"long\"},{\"name\":\"value\",\"type\":\"int\"}]}";
  private static final ProductId PRODUCT = new ProductId("soak", "readings");
  private static final List<String> FAULTS =
      List.of("broker", "contract-validator", "mesh-registry", "quality-monitor");

  private final int minutes;
  private final int rate;
  private final int faultEvery;
  private final boolean demo;
  private final Path work;
  private final int kafkaPort;
  private final int controllerPort;
  private final Map<String, Integer> httpPorts = new HashMap<>();
  private final Map<String, Process> processes = new ConcurrentHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final long start = System.nanoTime();

  // What was sent (acknowledged by the broker) and what came out, by sequence number.
  private final Map<Long, Boolean> acked = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private final Map<Long, Integer> seen = new ConcurrentHashMap<>();
  private final AtomicLong outOfOrder = new AtomicLong();
  private final AtomicLong misrouted = new AtomicLong();
  private final AtomicLong outputs = new AtomicLong();
  private volatile long lastOutput = System.nanoTime();
  private volatile double worstStall;
  private volatile String worstStallAt = "-";
  private final AtomicBoolean loading = new AtomicBoolean(true);

  private Soak(int minutes, int rate, int faultEvery, boolean demo) throws IOException {
    this.minutes = minutes;
    this.rate = rate;
    this.faultEvery = faultEvery;
    this.demo = demo;
    this.work = Files.createTempDirectory("meshbone-soak");
    int[] ports = freePorts(5);
    kafkaPort = ports[0];
    controllerPort = ports[1];
    httpPorts.put("contract-validator", ports[2]);
    httpPorts.put("mesh-registry", ports[3]);
    httpPorts.put("quality-monitor", ports[4]);
  }

  public static void main(String[] args) throws Exception {
    int minutes = 10;
    int rate = 500;
    int faultEvery = 60;
    boolean demo = true;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--minutes" -> minutes = positive(args, ++i);
          case "--rate" -> rate = positive(args, ++i);
          case "--fault-every" -> faultEvery = positive(args, ++i);
          case "--no-demo" -> demo = false;
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("bin/soak: " + e.getMessage());
      System.err.println(
          "usage: bin/soak [--minutes N] [--rate RECORDS_PER_S] [--fault-every SECONDS] [--no-demo]");
      System.exit(2);
    }
    System.exit(new Soak(minutes, rate, faultEvery, demo).run());
  }

  /** The whole number after an option, above zero. */
  private static int positive(String[] args, int i) {
    String option = args[i - 1];
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a number");
    }
    try {
      int n = Integer.parseInt(args[i]);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(option + " takes a whole number above 0, not " + args[i]);
  }

  private int run() throws Exception {
    Runtime.getRuntime().addShutdownHook(new Thread(this::killAll, "soak-cleanup"));
    log(
        "soak: %d min, %d records/s, a fault every %d s; work folder %s (child logs there)",
        minutes, rate, faultEvery, work);
    startBroker();
    for (String service : FAULTS.subList(1, FAULTS.size())) {
      startService(service);
    }
    for (String service : FAULTS.subList(1, FAULTS.size())) {
      awaitHealthy(service, Duration.ofMinutes(3));
    }
    log("mesh up in %.1f s", seconds(start));
    String bootstrap = "localhost:" + kafkaPort;
    String registryUrl = "http://localhost:" + httpPorts.get("mesh-registry");
    int schemaId;
    try (MeshClient soak =
        MeshClient.create(
            MeshClientSettings.builder()
                .domain(PRODUCT.domain())
                .bootstrapServers(bootstrap)
                .registryUrl(registryUrl)
                .build())) {
      soak.declare(
          ProductDeclaration.builder(PRODUCT.product())
              .name("Soak readings")
              .owner("soak", "soak@example.com")
              .build());
      schemaId =
          soak.registerContract(
                  PRODUCT.product(),
                  Contract.of(new Schema.Parser().parse(SCHEMA))
                      .withRules(ContractRule.named("percent").field("value").min(0).max(100)))
              .schemaId();
    }
    awaitTopics(bootstrap);
    DemoMesh demoMesh = demo ? DemoMesh.start(bootstrap, registryUrl) : null;
    Thread reader = new Thread(() -> read(bootstrap), "soak-reader");
    reader.setDaemon(true);
    reader.start();
    Thread producer = new Thread(() -> produce(bootstrap, schemaId), "soak-producer");
    producer.start();

    List<String> faults = new ArrayList<>();
    // The minutes are of load: they start once the mesh is up and the load running.
    long loadStart = System.nanoTime();
    long end = loadStart + TimeUnit.MINUTES.toNanos(minutes);
    // Fault n at n times --fault-every into the load, or as soon as the one before has recovered.
    for (int n = 1; ; n++) {
      long due = loadStart + n * TimeUnit.SECONDS.toNanos(faultEvery);
      if (due >= end) {
        break;
      }
      TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
      faults.add(fault(FAULTS.get((n - 1) % FAULTS.size())));
    }
    TimeUnit.NANOSECONDS.sleep(Math.max(0, end - System.nanoTime()));
    loading.set(false);
    producer.join();
    if (demoMesh != null) {
      demoMesh.close();
    }
    log("load stopped; waiting for the output to settle");
    long settle = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < settle && seen.size() < acked.size()) {
      TimeUnit.SECONDS.sleep(1);
    }
    return report(faults);
  }

  // The broker and the services, each a child JVM.

  private void startBroker() throws Exception {
    Process broker =
        child(
            "broker",
            List.of(
                SoakBroker.class.getName(),
                work.resolve("kafka").toString(),
                Integer.toString(kafkaPort),
                Integer.toString(controllerPort)));
    var out = new BufferedReader(new InputStreamReader(broker.getInputStream(), UTF8));
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("READY")) {
      // Its log goes to its file; only READY comes here.
    }
    if (line == null) {
      throw new IllegalStateException("the broker did not start; see " + logOf("broker"));
    }
    processes.put("broker", broker);
  }

  private void startService(String service) throws IOException {
    String main =
        switch (service) {
          case "contract-validator" -> "dev.meshbone.validator.ValidatorApp";
          case "mesh-registry" -> "dev.meshbone.registry.RegistryApp";
          default -> "dev.meshbone.quality.QualityApp";
        };
    List<String> args = new ArrayList<>();
    args.add("-Dkafka.bootstrap.servers=localhost:" + kafkaPort);
    args.add("-Dmicronaut.server.port=" + httpPorts.get(service));
    args.add("-Dkafka.streams.application.id=soak-" + service);
    args.add("-Dmeshbone.state-dir=" + work.resolve("state").resolve(service));
    args.add("-Dmeshbone.instance-id=soak");
    // An open mesh, as bin/local-mesh runs without --secure.
    args.add("-Dmeshbone.security.enabled=false");
    args.add(main);
    processes.put(service, child(service, args));
  }

  private Process child(String name, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(name.equals("broker") ? "-Xmx1g" : "-Xmx768m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.addAll(args);
    var builder = new ProcessBuilder(command);
    File log = logOf(name).toFile();
    if (name.equals("broker")) {
      builder.redirectError(ProcessBuilder.Redirect.appendTo(log));
    } else {
      builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
    }
    return builder.start();
  }

  private Path logOf(String name) {
    return work.resolve(name + ".log");
  }

  private void awaitHealthy(String service, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    var request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + httpPorts.get(service) + "/health"))
            .timeout(Duration.ofSeconds(2))
            .build();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> health = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (health.statusCode() == 200 && health.body().contains("\"status\":\"UP\"")) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new IllegalStateException(
        service + " not healthy within " + within + "; see " + logOf(service));
  }

  private void awaitTopics(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      List<String> names =
          List.of(
              DomainTopics.ingest(PRODUCT),
              DomainTopics.validated(PRODUCT),
              DomainTopics.dlq(PRODUCT));
      while (!admin.listTopics().names().get().containsAll(names)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the topics of " + PRODUCT + " never appeared");
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
    }
  }

  /** SIGKILLs {@code what}, starts it again, and says how long until output and health. */
  private String fault(String what) throws Exception {
    long count = outputs.get();
    long t0 = System.nanoTime();
    String at = clock(t0);
    processes.get(what).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    if (what.equals("broker")) {
      startBroker();
      for (String service : FAULTS.subList(1, FAULTS.size())) {
        awaitHealthy(service, Duration.ofMinutes(3));
      }
    } else {
      startService(what);
      awaitHealthy(what, Duration.ofMinutes(3));
    }
    double healthy = seconds(t0);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (outputs.get() < count + rate && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
    double resumed = outputs.get() >= count + rate ? seconds(t0) : Double.NaN;
    String line =
        String.format(
            "%s %s SIGKILL and restart: healthy after %.1f s, output moving after %.1f s",
            at, what, healthy, resumed);
    log("fault: %s", line);
    return line;
  }

  private void killAll() {
    processes.values().forEach(Process::destroyForcibly);
  }

  // The load and the account.

  private void produce(String bootstrap, int schemaId) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    Schema schema = new Schema.Parser().parse(SCHEMA);
    var writer = new GenericDatumWriter<GenericRecord>(schema);
    String topic = DomainTopics.ingest(PRODUCT);
    try (var producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      long seq = 0;
      long t0 = System.nanoTime();
      while (loading.get()) {
        long due = t0 + seq * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        final long s = seq++;
        var record =
            new ProducerRecord<>(
                topic, ("r-" + (s % 64)).getBytes(UTF8), value(s, schemaId, schema, writer));
        record.headers().add("seq", Long.toString(s).getBytes(UTF8));
        producer.send(
            record,
            (metadata, e) -> {
              if (e == null) {
                acked.put(s, Boolean.TRUE);
              } else {
                refused.incrementAndGet();
              }
            });
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Record {@code s}: valid, or (one in ten) out of its rule's range, or (one in fifty) not Avro.
   */
  private static byte[] value(
      long s, int schemaId, Schema schema, GenericDatumWriter<GenericRecord> writer) {
    if (badBytes(s)) {
      return ("not avro " + s).getBytes(UTF8);
    }
    GenericRecord r = new GenericData.Record(schema);
    r.put("seq", s);
    r.put("value", breaksRule(s) ? 500 : (int) (s % 100));
    var out = new ByteArrayOutputStream();
    out.write(0);
    out.writeBytes(ByteBuffer.allocate(4).putInt(schemaId).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    try {
      writer.write(r, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static boolean badBytes(long s) {
    return s % 50 == 49;
  }

  private static boolean breaksRule(long s) {
    return s % 10 == 9 && !badBytes(s);
  }

  private static boolean valid(long s) {
    return !badBytes(s) && !breaksRule(s);
  }

  private void read(String bootstrap) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    String validated = DomainTopics.validated(PRODUCT);
    String dlq = DomainTopics.dlq(PRODUCT);
    Map<TopicPartition, Long> last = new HashMap<>();
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(validated, dlq)) {
        consumer
            .partitionsFor(topic, Duration.ofMinutes(1))
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (true) {
        var records = consumer.poll(Duration.ofMillis(200));
        long now = System.nanoTime();
        if (records.isEmpty()) {
          continue;
        }
        double gap = (now - lastOutput) / 1e9;
        if (gap > worstStall && outputs.get() > 0) {
          worstStall = gap;
          worstStallAt = clock(lastOutput);
        }
        lastOutput = now;
        for (ConsumerRecord<byte[], byte[]> r : records) {
          Header h = r.headers().lastHeader("seq");
          long s = Long.parseLong(new String(h.value(), UTF8));
          seen.merge(s, 1, Integer::sum);
          if (r.topic().equals(validated) != valid(s)) {
            misrouted.incrementAndGet();
          }
          var tp = new TopicPartition(r.topic(), r.partition());
          Long before = last.put(tp, s);
          if (before != null && before >= s) {
            outOfOrder.incrementAndGet();
          }
          outputs.incrementAndGet();
        }
      }
    } catch (RuntimeException e) {
      log("the output reader stopped: %s", e);
    }
  }

  private int report(List<String> faults) {
    long sent = acked.size();
    long validated = acked.keySet().stream().filter(Soak::valid).count();
    long lost = acked.keySet().stream().filter(s -> !seen.containsKey(s)).count();
    long duplicated = seen.values().stream().filter(c -> c > 1).count();
    long unsent = seen.keySet().stream().filter(s -> !acked.containsKey(s)).count();
    System.out.println();
    System.out.println("## soak " + minutes + " min, " + rate + " records/s");
    System.out.println();
    System.out.printf("sent (acknowledged)   %,d (%,d sends failed)%n", sent, refused.get());
    System.out.printf("expected validated    %,d%n", validated);
    System.out.printf("expected dead letters %,d%n", sent - validated);
    System.out.printf("read, exactly once    %,d%n", seen.size() - duplicated);
    System.out.printf("lost                  %,d%n", lost);
    System.out.printf("duplicated            %,d%n", duplicated);
    System.out.printf("out of order          %,d%n", outOfOrder.get());
    System.out.printf("in the wrong topic    %,d%n", misrouted.get());
    System.out.printf("read but never acked  %,d (a send retried past its failure)%n", unsent);
    System.out.printf("worst output stall    %.1f s (from %s)%n", worstStall, worstStallAt);
    System.out.println();
    System.out.println("faults:");
    faults.forEach(f -> System.out.println("  " + f));
    boolean ok = lost == 0 && duplicated == 0 && outOfOrder.get() == 0 && misrouted.get() == 0;
    System.out.println();
    System.out.println(ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
  }

  // Small things.

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private String clock(long nanos) {
    long s = TimeUnit.NANOSECONDS.toSeconds(nanos - start);
    return String.format("%02d:%02d", s / 60, s % 60);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private void log(String format, Object... args) {
    System.out.printf("[%s] %s%n", clock(System.nanoTime()), String.format(format, args));
    System.out.flush();
  }

  private static int[] freePorts(int count) throws IOException {
    var sockets = new ServerSocket[count];
    int[] ports = new int[count];
    try {
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0);
        ports[i] = sockets[i].getLocalPort();
      }
    } finally {
      for (ServerSocket s : sockets) {
        if (s != null) {
          s.close();
        }
      }
    }
    return ports;
  }
}
