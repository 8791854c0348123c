package dev.meshbone.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshbone.contracts.ContractKeys;
import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.ContractEntry;
import dev.meshbone.events.ContractProposal;
import dev.meshbone.events.ContractVersion;
import dev.meshbone.events.DecisionOutcome;
import dev.meshbone.registry.RegistryApp;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.validator.ValidatorApp;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * contract-validator SIGKILLed while several clients register schemas concurrently through
 * mesh-registry's Confluent API ({@code POST /subjects/{s}/versions}: the registry turns each into
 * a proposal on {@code mesh.contracts.proposals}, which the validator's contract decider answers on
 * {@code mesh.contracts.decisions}), and started again on the same state as the same static member.
 * Then, for a {@code read_committed} reader and over HTTP:
 *
 * <ul>
 *   <li>every schema has exactly one id, whichever subject it was registered under and however
 *       often, and no id names two schemas;
 *   <li>each subject's versions in {@code mesh.contracts} are 1..n with no gap, one per schema
 *       registered under it;
 *   <li>every proposal record is decided exactly once: a request id has as many decisions as it has
 *       proposal records (the registry resends while it waits), all equal;
 *   <li>every HTTP write was answered, or answered 50002 (no decision in time, retry safe): retried
 *       after the restart with its request id, it gets the id its queued proposal was given, and a
 *       lookup the version its decision names; an answered write retried gets the same id again.
 * </ul>
 */
@WithKafka
class ContractCrashFaultIT {
  private static final int CLIENTS = 4;
  private static final int SUBJECTS = 4;
  // Default run: 80 writes, a third before the kill and the rest meeting the outage or after it.
  private static final int WRITES_PER_CLIENT = FaultSizes.pick(20, 80);
  private static final int SCHEMAS = CLIENTS * WRITES_PER_CLIENT * 2 / SUBJECTS;
  private static final Map<String, String> AS_JSON =
      Map.of("Content-Type", "application/vnd.schemaregistry.v1+json");

  private final MeshTopics topics = MeshTopics.defaults();
  private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 6);
  private final String domain = "cc" + run;

  /** One registration: who sent it, where, which schema, and with which request id. */
  private record Write(int client, int index, String subject, int schema, String requestId) {}

  /** What a write got: the id, or null when it was answered 50002 (retry safe). */
  private record Answer(Write write, Integer id) {}

  @Test
  void shouldGiveOneIdPerSchemaDenseVersionsAndOneDecisionPerProposalAcrossASigkill(
      KafkaBroker broker, @TempDir Path work) throws Exception {
    long begin = System.nanoTime();
    String appId = KafkaBroker.unique("crash-contracts");
    Path validatorState = work.resolve("validator");
    Process validator = startValidator(broker, appId, validatorState, 1);
    try (ApplicationContext registry = RegistryApp.start(registrySettings(broker, work))) {
      FaultMesh.awaitRunning(registry);
      var http = new Http(FaultMesh.url(registry));
      // The first write waits until the validator decides: it is up.
      Write first = new Write(-1, 0, subject(0), 0, run + "-first");
      Map<String, Answer> answers = new ConcurrentHashMap<>();
      answers.put(first.requestId(), new Answer(first, answer(http, first, Duration.ofMinutes(2))));

      List<Write> writes = plan();
      var answered = new AtomicInteger();
      List<CompletableFuture<Void>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        clients.add(
            CompletableFuture.runAsync(
                () -> {
                  for (Write w : writes) {
                    if (w.client() == client) {
                      answers.put(w.requestId(), register(http, w));
                      answered.incrementAndGet();
                    }
                  }
                }));
      }
      // A third of the way through, with every client's next write in flight: SIGKILL, and start
      // it again on the same state folder as the same static member.
      while (answered.get() < writes.size() / 3) {
        TimeUnit.MILLISECONDS.sleep(5);
      }
      ChildValidator.kill(validator);
      long killedAt = System.nanoTime();
      int answeredAtKill = answered.get();
      validator = startValidator(broker, appId, validatorState, 2);
      CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
      double afterKill = (System.nanoTime() - killedAt) / 1e9;
      assertThat(answers).hasSize(writes.size() + 1);
      // The kill landed mid-stream: writes answered before it and after it.
      assertThat(answeredAtKill)
          .as("writes answered before the kill")
          .isBetween(1, writes.size() - 1);
      writes.add(first);

      // Every write 50002'd while the validator was down, retried with its request id; every
      // answered one retried too: the same id each time.
      List<Answer> timedOut = answers.values().stream().filter(a -> a.id() == null).toList();
      assertThat(timedOut).as("writes that met the outage (answered 50002)").isNotEmpty();
      Map<String, Integer> ids = new TreeMap<>();
      for (Answer a : answers.values()) {
        Integer again = answer(http, a.write(), Duration.ofMinutes(1));
        if (a.id() != null) {
          assertThat(again).as("retry of %s", a.write()).isEqualTo(a.id());
        }
        ids.put(a.write().requestId(), again);
      }

      // One id per schema, one schema per id.
      Map<Integer, Set<Integer>> idsOfSchema = new TreeMap<>();
      for (Write w : writes) {
        idsOfSchema.computeIfAbsent(w.schema(), k -> new TreeSet<>()).add(ids.get(w.requestId()));
      }
      idsOfSchema.forEach(
          (schema, found) -> assertThat(found).as("ids of schema %d", schema).hasSize(1));
      Set<Integer> distinct = new TreeSet<>();
      idsOfSchema.values().forEach(distinct::addAll);
      assertThat(distinct).as("one schema per id").hasSize(idsOfSchema.size());

      // The contract log: each subject's versions 1..n, one per schema registered under it, the
      // ids those of the HTTP answers; ids name the same schema text under every subject.
      Map<String, ContractVersion> log = contractLog(broker);
      Map<String, Set<Integer>> schemasOf = new TreeMap<>();
      for (Write w : writes) {
        schemasOf.computeIfAbsent(w.subject(), s -> new TreeSet<>()).add(w.schema());
      }
      Map<Integer, String> textOfId = new TreeMap<>();
      int versions = 0;
      for (var e : schemasOf.entrySet()) {
        String subject = e.getKey();
        List<ContractVersion> of =
            log.values().stream().filter(v -> v.getSubject().equals(subject)).toList();
        assertThat(of.stream().map(ContractVersion::getVersion).sorted().toList())
            .as("versions of %s", subject)
            .isEqualTo(IntStream.rangeClosed(1, e.getValue().size()).boxed().toList());
        Set<Integer> idsHere = new TreeSet<>();
        for (ContractVersion v : of) {
          assertThat(v.getDeleted()).isFalse();
          idsHere.add(v.getSchemaId());
          String earlier = textOfId.putIfAbsent(v.getSchemaId(), v.getSchema$());
          assertThat(earlier == null ? v.getSchema$() : earlier)
              .as("schema text of id %d", v.getSchemaId())
              .isEqualTo(v.getSchema$());
        }
        Set<Integer> expected = new TreeSet<>();
        e.getValue().forEach(k -> expected.addAll(idsOfSchema.getOrDefault(k, Set.of())));
        assertThat(idsHere).as("schema ids under %s", subject).isEqualTo(expected);
        versions += of.size();
      }

      // Every proposal record decided exactly once (the resends of a request each get its first
      // decision again); each write's HTTP answer and lookup agree with its decision. The last
      // resends may be decided after the writes were answered: read until they are all there.
      Decided decided = decided(broker);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!decided.complete() && System.nanoTime() < deadline) {
        TimeUnit.SECONDS.sleep(1);
        decided = decided(broker);
      }
      assertThat(decided.decisions.keySet()).isEqualTo(decided.proposals.keySet());
      for (var e : decided.proposals.entrySet()) {
        List<ContractDecision> of = decided.decisions.get(e.getKey());
        assertThat(of)
            .as("decisions of request %s (%d proposal records)", e.getKey(), e.getValue())
            .hasSize(e.getValue())
            .containsOnly(of.get(0));
      }
      for (Answer a : timedOut) {
        // Its proposal was queued: the validator decided it after the restart.
        assertThat(decided.decisions).containsKey(a.write().requestId());
      }
      for (var e : decided.decisions.entrySet()) {
        ContractDecision d = e.getValue().get(0);
        assertThat(d.getOutcome())
            .as("decision of %s", e.getKey())
            .isEqualTo(DecisionOutcome.ACCEPTED);
        Write w = writeOf(writes, e.getKey());
        if (w == null) {
          continue;
        }
        assertThat(d.getSchemaId()).as("id decided for %s", w).isEqualTo(ids.get(w.requestId()));
        assertThat(d.getSubject()).isEqualTo(w.subject());
        JsonNode found = lookup(http, w);
        assertThat(found.path("id").asInt()).isEqualTo(d.getSchemaId());
        assertThat(found.path("version").asInt()).as("version of %s", w).isEqualTo(d.getVersion());
      }
      System.out.printf(
          "contract crash: %d writes by %d clients, SIGKILL after %d answered; %d answered 50002"
              + " and retried; all answered %.1f s after the kill; %d proposal records of %d"
              + " requests each decided once; %d schemas, %d versions under %d subjects; test"
              + " %.0f s%n",
          writes.size(),
          CLIENTS,
          answeredAtKill,
          timedOut.size(),
          afterKill,
          decided.proposals.values().stream().mapToInt(Integer::intValue).sum(),
          decided.proposals.size(),
          textOfId.size(),
          versions,
          schemasOf.size(),
          (System.nanoTime() - begin) / 1e9);
    } finally {
      ChildValidator.kill(validator);
    }
  }

  /**
   * Each client's writes, drawn at random (fixed seed) from twice as many (subject, schema) pairs
   * as there are writes, so most are new versions the validator must decide, clients register under
   * the same subject at once, a schema goes under several subjects, and some writes repeat an
   * earlier one; every tenth write repeats the client's previous one on purpose.
   */
  private List<Write> plan() {
    var random = new Random(18);
    List<Write> writes = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int subject = 0;
      int schema = 0;
      for (int i = 0; i < WRITES_PER_CLIENT; i++) {
        if (i % 10 != 9) {
          subject = random.nextInt(SUBJECTS);
          schema = random.nextInt(SCHEMAS);
        }
        writes.add(new Write(c, i, subject(subject), schema, run + "-c" + c + "-" + i));
      }
    }
    return writes;
  }

  private String subject(int s) {
    return domain + ".stream-" + s + "-value";
  }

  /**
   * Schema {@code k}: a record with an id and one optional field of its own, so any of them reads
   * data written with any other (BACKWARD, in whatever order the clients register them).
   */
  private String schema(int k) {
    return "{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\""
        + domain
        + "\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"f"
        + k
        + "\",\"type\":\"string\",\"default\":\"\"}]}";
  }

  private String body(int k) {
    return Http.JSON.createObjectNode().put("schema", schema(k)).toString();
  }

  private static Write writeOf(List<Write> writes, String requestId) {
    return writes.stream().filter(w -> w.requestId().equals(requestId)).findFirst().orElse(null);
  }

  /**
   * One registration: its id, or null if the registry answered 50002 (no decision within its write
   * timeout: the proposal stays queued and a retry is safe). Any other answer fails the test.
   */
  private Answer register(Http http, Write w) {
    var headers = new HashMap<>(AS_JSON);
    headers.put("X-Mesh-Request-Id", w.requestId());
    headers.put("X-Mesh-Domain", domain);
    Http.Answer a =
        http.send(
            "POST",
            "/subjects/" + w.subject() + "/versions",
            AS_JSON.get("Content-Type"),
            body(w.schema()).getBytes(java.nio.charset.StandardCharsets.UTF_8),
            headers);
    if (a.status() == 200) {
      return new Answer(w, a.json().path("id").asInt());
    }
    assertThat(a.json()).as(a.toString()).isNotNull();
    assertThat(a.json().path("error_code").asInt()).as(a.toString()).isEqualTo(50002);
    return new Answer(w, null);
  }

  /** {@link #register} until it is answered with an id, within {@code within}. */
  private Integer answer(Http http, Write w, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      Answer a = register(http, w);
      if (a.id() != null) {
        return a.id();
      }
      assertThat(System.nanoTime()).as("%s answered in time", w).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  /** Confluent's lookup of a write's schema under its subject: id and version. */
  private JsonNode lookup(Http http, Write w) {
    Http.Answer a =
        http.send(
            "POST",
            "/subjects/" + w.subject(),
            AS_JSON.get("Content-Type"),
            body(w.schema()).getBytes(java.nio.charset.StandardCharsets.UTF_8),
            AS_JSON);
    assertThat(a.status()).as(a.toString()).isEqualTo(200);
    return a.json();
  }

  /** This run's versions in {@code mesh.contracts}, the last value of each key. */
  private Map<String, ContractVersion> contractLog(KafkaBroker broker) {
    Map<String, ContractVersion> log = new TreeMap<>();
    var serde = topics.contracts.valueSerde().deserializer();
    List<String> ours =
        IntStream.range(0, SUBJECTS).mapToObj(s -> ContractKeys.versionPrefix(subject(s))).toList();
    ChildService.readAll(
        broker,
        topics.contracts.name(),
        (key, bytes) -> {
          if (key == null || ours.stream().noneMatch(key::startsWith)) {
            return;
          }
          ContractEntry entry = bytes == null ? null : serde.deserialize("", bytes);
          if (entry == null || entry.getVersion() == null) {
            log.remove(key);
          } else {
            log.put(key, entry.getVersion());
          }
        });
    return log;
  }

  /** This run's proposal records by request id, and the decisions of each. */
  private record Decided(
      Map<String, Integer> proposals, Map<String, List<ContractDecision>> decisions) {
    boolean complete() {
      return proposals.entrySet().stream()
          .allMatch(e -> decisions.getOrDefault(e.getKey(), List.of()).size() >= e.getValue());
    }
  }

  private Decided decided(KafkaBroker broker) {
    Map<String, Integer> proposals = new TreeMap<>();
    Map<String, List<ContractDecision>> decisions = new TreeMap<>();
    var proposalSerde = topics.contractProposals.valueSerde().deserializer();
    var decisionSerde = topics.contractDecisions.valueSerde().deserializer();
    ChildService.readAll(
        broker,
        topics.contractProposals.name(),
        (key, bytes) -> {
          ContractProposal p = proposalSerde.deserialize("", bytes);
          if (p.getRequestId().startsWith(run + "-")) {
            proposals.merge(p.getRequestId(), 1, Integer::sum);
          }
        });
    ChildService.readAll(
        broker,
        topics.contractDecisions.name(),
        (key, bytes) -> {
          if (key != null && key.startsWith(run + "-")) {
            decisions
                .computeIfAbsent(key, k -> new ArrayList<>())
                .add(decisionSerde.deserialize("", bytes));
          }
        });
    return new Decided(proposals, decisions);
  }

  /**
   * The validator as the local mesh runs it, a static member ({@code meshbone.instance-id}), so the
   * restarted one takes its partitions back without waiting out the dead one's session.
   */
  private static Process startValidator(KafkaBroker broker, String appId, Path state, int start)
      throws Exception {
    return ChildService.start(
        ValidatorApp.class,
        broker.clientConfig(),
        appId,
        state,
        -1,
        "contracts-validator-" + start,
        "validator-0",
        Map.of("kafka.streams.consumer.metadata.max.age.ms", "2000"));
  }

  private static Map<String, Object> registrySettings(KafkaBroker broker, Path work) {
    var settings = new HashMap<String, Object>();
    broker.clientConfig().forEach((k, v) -> settings.put("kafka." + k, v));
    settings.put("kafka.streams.application.id", KafkaBroker.unique("crash-contracts-registry"));
    settings.put("meshbone.state-dir", work.resolve("registry").toString());
    settings.put("micronaut.server.port", -1);
    settings.put("meshbone.security.enabled", false);
    // Writes during the outage answer 50002 soon, and are retried after the restart.
    settings.put("meshbone.registry.schema-write-timeout", "4s");
    settings.put("meshbone.registry.schema-write-resend", "1s");
    return settings;
  }
}
