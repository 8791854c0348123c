package dev.meshbone.registry.schema;

import dev.meshbone.contracts.ProposalBatch;
import dev.meshbone.contracts.RegistryErrors;
import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.ContractProposal;
import dev.meshbone.events.DecisionOutcome;
import dev.meshbone.registry.products.kafka.MeshClients;
import dev.meshbone.registry.products.kafka.TopicTail;
import dev.meshbone.runtime.KafkaClientMeters;
import dev.meshbone.runtime.KafkaSettings;
import dev.meshbone.serde.FramedList;
import dev.meshbone.topics.MeshTopics;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write side of the schema registry API: request/reply over Kafka with contract-validator.
 *
 * <p>A write ({@link #write}) becomes a {@link ContractProposal} on {@code
 * mesh.contracts.proposals} (an idempotent producer, acks=all) and waits once: for the {@link
 * ContractDecision} with the same request id on {@code mesh.contracts.decisions} and, when it is
 * accepted, for this instance's copy of the contract log to show it, so what a client just wrote
 * reads back at once. The decisions come from one {@link TopicTail} per registry instance (every
 * partition from the end, positions fixed before the first proposal is sent so no answer is missed,
 * read_committed), shared by every waiting request.
 *
 * <p>While waiting, the same proposal is sent again every {@code schema-write-resend} (the
 * validator answers a repeated request id with its first decision); after {@code
 * schema-write-timeout} the write fails with 50002. A proposal that got no answer is not lost: it
 * stays on the topic and the validator decides it when it runs again.
 */
@Singleton
public class ContractWriter implements ApplicationEventListener<ServerStartupEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(ContractWriter.class);

  private final KafkaSettings kafka;
  private final MeshClients clients;
  private final MeshTopics topics;
  private final SchemaApiSettings settings;
  private final Map<String, CompletableFuture<ContractDecision>> pending =
      new ConcurrentHashMap<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final Deserializer<ContractDecision> decisions;
  private final Serializer<ContractProposal> proposalBytes;
  private KafkaProducer<String, byte[]> producer;
  private AutoCloseable producerMeters;
  private TopicTail tail;

  public ContractWriter(
      KafkaSettings kafka, MeshClients clients, MeshTopics topics, SchemaApiSettings settings) {
    this.kafka = kafka;
    this.clients = clients;
    this.topics = topics;
    this.settings = settings;
    this.decisions = topics.contractDecisions.valueSerde().deserializer();
    this.proposalBytes = topics.contractProposals.valueSerde().serializer();
  }

  /**
   * Once the server is up, after the runtime made the mesh topics exist at start (as {@code
   * VerdictWatcher} does): a request that comes before the tail is positioned waits for it.
   */
  @Override
  public void onApplicationEvent(ServerStartupEvent event) {
    start();
  }

  /** Starts the producer and the decision tail; idempotent. */
  synchronized void start() {
    if (tail != null) {
      return;
    }
    Map<String, Object> producerConfig = new HashMap<>(kafka.producer());
    producerConfig.putIfAbsent(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producerConfig.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "mesh-registry-contracts");
    producerConfig.putIfAbsent(
        ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.schemaWriteResend().toMillis());
    producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
    producerMeters = clients.bindMeters(producer);
    tail =
        clients.tail("contract-decisions", List.of(topics.contractDecisions.name()), this::answer);
    ready.complete(null);
  }

  private void answer(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() == null) {
      return;
    }
    String requestId = new String(record.key(), StandardCharsets.UTF_8);
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "request {}: decision read at {} (epoch ms)", requestId, System.currentTimeMillis());
    }
    CompletableFuture<ContractDecision> waiting = pending.get(requestId);
    if (waiting == null) {
      return;
    }
    try {
      waiting.complete(decisions.deserialize(record.topic(), record.value()));
    } catch (RuntimeException e) {
      LOG.warn(
          "a decision for request {} does not decode ({}); the request will time out",
          requestId,
          e.getMessage());
    }
  }

  /**
   * Sends {@code proposal} and waits for its decision and, when it is accepted, until {@code
   * visible} (given the decision) holds in this instance's copy of the contract log, at most {@code
   * schema-read-your-writes-timeout} more; a write that is not visible by then still answers.
   *
   * @throws SchemaRegistryException 50002 if no decision comes within the write timeout, 50001 if
   *     the proposal cannot be written to Kafka
   */
  public ContractDecision write(
      ContractProposal proposal, Function<ContractDecision, BooleanSupplier> visible) {
    ContractDecision decision = decision(proposal);
    if (decision.getOutcome() == DecisionOutcome.ACCEPTED) {
      awaitVisible(visible.apply(decision));
    }
    return decision;
  }

  /** One proposal's fate in {@link #writeAll}: its decision, or why there is none. */
  public record Decided(ContractDecision decision, SchemaRegistryException error) {}

  /**
   * {@link #write} for many proposals at once: sends them all as one {@link ProposalBatch} record
   * (or a few, for big schemas), which the validator decides in one transaction, then waits for
   * their decisions together, sending those still unanswered again every {@code
   * schema-write-resend}; then waits for the accepted ones to be visible. So N proposals cost about
   * one decision's wait, not N. Each proposal's outcome is its own: one that cannot be sent or is
   * not decided in time fails alone.
   */
  public List<Decided> writeAll(
      List<ContractProposal> proposals, Function<ContractDecision, BooleanSupplier> visible) {
    long deadline = System.nanoTime() + settings.schemaWriteTimeout().toNanos();
    int n = proposals.size();
    List<CompletableFuture<ContractDecision>> answers = new java.util.ArrayList<>(n);
    Decided[] out = new Decided[n];
    for (ContractProposal proposal : proposals) {
      CompletableFuture<ContractDecision> answer = new CompletableFuture<>();
      CompletableFuture<ContractDecision> earlier =
          pending.putIfAbsent(proposal.getRequestId(), answer);
      answers.add(earlier != null ? earlier : answer);
    }
    try {
      awaitReady(deadline);
      while (true) {
        List<Integer> sentIndex = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
          if (out[i] == null && !answers.get(i).isDone()) {
            sentIndex.add(i);
          }
        }
        List<java.util.concurrent.Future<?>> sent =
            sendBatched(sentIndex.stream().map(proposals::get).toList());
        for (int j = 0; j < sent.size(); j++) {
          int i = sentIndex.get(j);
          try {
            sent.get(j).get(Math.max(remaining(deadline), 0), TimeUnit.NANOSECONDS);
          } catch (TimeoutException e) {
            out[i] = new Decided(null, timeout(proposals.get(i).getRequestId()));
          } catch (ExecutionException e) {
            out[i] = new Decided(null, sendError(e.getCause()));
          }
        }
        long waitUntil =
            System.nanoTime()
                + Math.min(settings.schemaWriteResend().toNanos(), remaining(deadline));
        boolean open = false;
        for (int i = 0; i < n; i++) {
          if (out[i] != null) {
            continue;
          }
          try {
            out[i] =
                new Decided(
                    answers
                        .get(i)
                        .get(Math.max(waitUntil - System.nanoTime(), 0), TimeUnit.NANOSECONDS),
                    null);
          } catch (TimeoutException noAnswerYet) {
            open = true;
          } catch (ExecutionException e) {
            out[i] = new Decided(null, storeError("the decision listener failed", e.getCause()));
          }
        }
        if (!open) {
          break;
        }
        if (remaining(deadline) <= 0) {
          for (int i = 0; i < n; i++) {
            if (out[i] == null) {
              out[i] = new Decided(null, timeout(proposals.get(i).getRequestId()));
            }
          }
          break;
        }
        LOG.info("no decision yet for some of {} proposals; sending those again", n);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      for (int i = 0; i < n; i++) {
        if (out[i] == null) {
          out[i] = new Decided(null, timeout(proposals.get(i).getRequestId()));
        }
      }
    } catch (SchemaRegistryException notReady) {
      for (int i = 0; i < n; i++) {
        if (out[i] == null) {
          out[i] = new Decided(null, notReady);
        }
      }
    } finally {
      for (int i = 0; i < n; i++) {
        pending.remove(proposals.get(i).getRequestId(), answers.get(i));
      }
    }
    for (Decided d : out) {
      if (d.decision() != null && d.decision().getOutcome() == DecisionOutcome.ACCEPTED) {
        awaitVisible(visible.apply(d.decision()));
      }
    }
    return List.of(out);
  }

  /**
   * Sends {@code batch} in as few records as {@link ProposalBatch#MAX_BYTES} allows, in order: each
   * record of several proposals is one batch record, which the validator decides in one
   * transaction. One future per proposal (the same for every proposal of one record).
   */
  private List<java.util.concurrent.Future<?>> sendBatched(List<ContractProposal> batch) {
    java.util.concurrent.Future<?>[] futures = new java.util.concurrent.Future<?>[batch.size()];
    // The proposals of the record being filled: their places in batch, and their bytes.
    List<Integer> chunkIndex = new java.util.ArrayList<>();
    List<byte[]> chunk = new java.util.ArrayList<>();
    int chunkBytes = 4;
    for (int i = 0; i < batch.size(); i++) {
      byte[] bytes;
      try {
        bytes = proposalBytes.serialize(topics.contractProposals.name(), batch.get(i));
      } catch (RuntimeException e) {
        futures[i] = CompletableFuture.failedFuture(e);
        continue;
      }
      if (!chunk.isEmpty() && chunkBytes + FramedList.cost(bytes) > ProposalBatch.MAX_BYTES) {
        sendChunk(batch, chunkIndex, chunk, futures);
        chunkIndex = new java.util.ArrayList<>();
        chunk = new java.util.ArrayList<>();
        chunkBytes = 4;
      }
      chunkIndex.add(i);
      chunk.add(bytes);
      chunkBytes += FramedList.cost(bytes);
    }
    if (!chunk.isEmpty()) {
      sendChunk(batch, chunkIndex, chunk, futures);
    }
    return java.util.Arrays.asList(futures);
  }

  /**
   * Sends one record: a single proposal as it is, several as a {@link ProposalBatch} keyed by the
   * first one's subject; its future goes to each of their places in {@code futures}.
   */
  private void sendChunk(
      List<ContractProposal> batch,
      List<Integer> index,
      List<byte[]> chunk,
      java.util.concurrent.Future<?>[] futures) {
    String key = key(batch.get(index.get(0)));
    java.util.concurrent.Future<?> sent;
    try {
      if (chunk.size() == 1) {
        sent =
            producer.send(new ProducerRecord<>(topics.contractProposals.name(), key, chunk.get(0)));
      } else {
        var record =
            new ProducerRecord<>(topics.contractProposals.name(), key, FramedList.encode(chunk));
        record.headers().add(ProposalBatch.HEADER, ProposalBatch.VERSION);
        sent = producer.send(record);
      }
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    for (int i : index) {
      futures[i] = sent;
    }
  }

  private static String key(ContractProposal proposal) {
    return proposal.getSubject() == null ? "" : proposal.getSubject();
  }

  private SchemaRegistryException sendError(Throwable cause) {
    if (cause instanceof RecordTooLargeException) {
      return new SchemaRegistryException(
          RegistryErrors.SCHEMA_TOO_LARGE,
          "Write failed because schema is too large: " + cause.getMessage());
    }
    return storeError("cannot write the proposal to Kafka", cause);
  }

  /** Sends {@code proposal} and returns the validator's decision. */
  private ContractDecision decision(ContractProposal proposal) {
    long deadline = System.nanoTime() + settings.schemaWriteTimeout().toNanos();
    String requestId = proposal.getRequestId();
    CompletableFuture<ContractDecision> answer = new CompletableFuture<>();
    CompletableFuture<ContractDecision> earlier = pending.putIfAbsent(requestId, answer);
    if (earlier != null) {
      answer = earlier;
    }
    try {
      awaitReady(deadline);
      while (true) {
        long sent = System.nanoTime();
        send(proposal, deadline);
        if (LOG.isDebugEnabled()) {
          LOG.debug(
              "request {}: proposal acknowledged in {} us",
              requestId,
              (System.nanoTime() - sent) / 1_000);
        }
        long wait = Math.min(settings.schemaWriteResend().toNanos(), remaining(deadline));
        try {
          ContractDecision decision = answer.get(Math.max(wait, 0), TimeUnit.NANOSECONDS);
          if (LOG.isDebugEnabled()) {
            LOG.debug(
                "request {} decided in {} ms",
                requestId,
                (System.nanoTime() - deadline + settings.schemaWriteTimeout().toNanos())
                    / 1_000_000);
          }
          return decision;
        } catch (TimeoutException noAnswerYet) {
          if (remaining(deadline) <= 0) {
            throw timeout(requestId);
          }
          LOG.info("no decision yet for request {}; sending the proposal again", requestId);
        } catch (ExecutionException e) {
          throw storeError("the decision listener failed", e.getCause());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw timeout(requestId);
    } finally {
      pending.remove(requestId, answer);
    }
  }

  private void awaitReady(long deadline) throws InterruptedException {
    try {
      ready.get(Math.max(remaining(deadline), 0), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new SchemaRegistryException(
          RegistryErrors.OPERATION_TIMEOUT,
          "the registry is not connected to the contract decisions topic yet; retry shortly");
    } catch (ExecutionException e) {
      throw storeError("the decision listener failed", e.getCause());
    }
  }

  private void send(ContractProposal proposal, long deadline) throws InterruptedException {
    try {
      byte[] bytes = proposalBytes.serialize(topics.contractProposals.name(), proposal);
      producer
          .send(new ProducerRecord<>(topics.contractProposals.name(), key(proposal), bytes))
          .get(Math.max(remaining(deadline), 0), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw timeout(proposal.getRequestId());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RecordTooLargeException) {
        throw new SchemaRegistryException(
            RegistryErrors.SCHEMA_TOO_LARGE,
            "Write failed because schema is too large: " + e.getCause().getMessage());
      }
      throw storeError("cannot write the proposal to Kafka", e.getCause());
    } catch (RuntimeException e) {
      throw storeError("cannot write the proposal to Kafka", e);
    }
  }

  /**
   * Waits until {@code visible} holds (this instance's copy of the contract log shows what was just
   * decided), at most {@code schema-read-your-writes-timeout}; returns whether it did.
   */
  private boolean awaitVisible(BooleanSupplier visible) {
    long start = System.nanoTime();
    long deadline = start + settings.schemaReadYourWritesTimeout().toNanos();
    long pauseMillis = 1;
    while (true) {
      try {
        if (visible.getAsBoolean()) {
          LOG.debug(
              "visible in the local store after {} ms", (System.nanoTime() - start) / 1_000_000);
          return true;
        }
      } catch (SchemaRegistryException storeNotReady) {
        // keep waiting; the store comes back after a rebalance
      }
      if (System.nanoTime() > deadline) {
        LOG.warn("an accepted contract write did not show in the local store in time");
        return false;
      }
      pause(Duration.ofMillis(pauseMillis));
      pauseMillis = Math.min(pauseMillis * 2, 5);
    }
  }

  private static long remaining(long deadline) {
    return deadline - System.nanoTime();
  }

  private SchemaRegistryException timeout(String requestId) {
    return new SchemaRegistryException(
        RegistryErrors.OPERATION_TIMEOUT,
        "contract-validator did not decide this write within "
            + settings.schemaWriteTimeout().toSeconds()
            + " s (request "
            + requestId
            + "); it may be down or catching up. The proposal stays queued and will be decided"
            + " when the validator runs, so retrying is safe and returns the same schema id.");
  }

  private static SchemaRegistryException storeError(String what, Throwable cause) {
    return new SchemaRegistryException(
        RegistryErrors.STORE_ERROR,
        "Error while writing to the contract log: " + what + ": " + cause.getMessage());
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @PreDestroy
  synchronized void close() {
    if (tail != null) {
      tail.close();
    }
    if (producer != null) {
      KafkaClientMeters.close(producerMeters);
      producer.close(Duration.ofSeconds(5));
    }
  }
}
