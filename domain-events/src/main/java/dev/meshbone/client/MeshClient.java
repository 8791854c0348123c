package dev.meshbone.client;

import dev.meshbone.client.internal.DeadLetters;
import dev.meshbone.client.internal.KafkaClients;
import dev.meshbone.client.internal.ProductConsumerImpl;
import dev.meshbone.client.internal.ProductRegistry;
import dev.meshbone.client.internal.RecordPublisher;
import dev.meshbone.client.internal.RegistryHttp;
import dev.meshbone.client.internal.SseNotificationStream;
import dev.meshbone.events.IssueKind;
import dev.meshbone.events.IssueSeverity;
import dev.meshbone.events.IssueState;
import dev.meshbone.serde.AvroSerdeConfig;
import dev.meshbone.serde.KafkaAvroDeserializer;
import dev.meshbone.serde.RestSchemaRegistryClient;
import dev.meshbone.serde.SchemaRegistryClientConfig;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.InvalidNameException;
import dev.meshbone.topics.Names;
import dev.meshbone.topics.ProductId;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * A domain service's one handle on the mesh: declare and change its data products, register their
 * contracts, publish their records and quality results, subscribe to other domains' products and
 * read them, and hear what changes. Built from {@link MeshClientSettings}; one per domain service
 * (it is thread-safe and holds one Kafka producer and one HTTP client); closed when the service
 * stops.
 *
 * <pre>{@code
 * try (MeshClient mesh = MeshClient.create(settings)) {
 *   mesh.declare(ProductDeclaration.builder("enrollments").owner("enrollment-platform").build());
 *   mesh.registerContract("enrollments", Contract.of(TrialEnrollment.class));
 *   mesh.publish("enrollments", enrollment.getEnrollmentId(), enrollment).join();
 * }
 * }</pre>
 *
 * <p><b>Products are named</b> by their name inside this client's domain ({@code "enrollments"}) or
 * by their full id ({@code "clinical-trials.enrollments"}); writes (declare, contracts, records,
 * quality results, deprecation) are only for the client's own domain's products.
 *
 * <p><b>What goes where, and why.</b>
 *
 * <ul>
 *   <li>Product writes (declare, deprecate, retire) and contract registrations go through the
 *       registry's HTTP API, which waits for contract-validator's verdict: the caller learns at
 *       once whether the change holds, and why not. These calls block up to {@code
 *       meshbone.client.verdict-timeout}.
 *   <li>Records go straight to Kafka, to the product's ingest topic, with an idempotent {@code
 *       acks=all} producer: high volume, batched, no hop through the registry. Their verdict is per
 *       record and asynchronous (the product topic or the dead-letter topic), so {@link #publish}
 *       returns a future of the write, not of the validation.
 *   <li>Quality results go through the registry API, which checks the product exists and this
 *       domain owns it, and writes them to the domain's quality topic: a handful per check run,
 *       where a clear error matters more than throughput.
 *   <li>Subscriptions and notifications go through the registry API: they are decided and kept
 *       there, and a domain reads only its own notifications.
 *   <li>Subscribers read a product's validated topic straight from Kafka ({@link #consume}).
 * </ul>
 *
 * <p><b>Blocking.</b> Every method blocks until its answer except {@link #publish} (which blocks
 * only for the first record of a product, to check it and wait for its topic, and when the
 * producer's buffer is full) and {@link #notifications} (which returns at once). {@link #create}
 * does no I/O: nothing connects until first used.
 *
 * <p><b>Retries.</b> Registry requests are retried on no answer, 502, 503 and 504 (four attempts,
 * backing off from 200 ms); every write carries an id that makes a repeat harmless. The producer
 * retries sends within {@code meshbone.client.delivery-timeout} without duplicates (idempotence).
 * Nothing else is retried: the exception says what to do.
 *
 * <p><b>Failures</b> are {@link MeshClientException}s, one subclass per remedy; see there.
 */
public final class MeshClient implements AutoCloseable {
  private final MeshClientSettings settings;
  private final String domain;
  private final RegistryHttp http;
  private final ProductRegistry registry;
  private final KafkaClients kafka;
  private final RestSchemaRegistryClient schemas;
  private final RecordPublisher publisher;
  private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
  private ScheduledExecutorService watchdog;
  private volatile boolean closed;

  private MeshClient(MeshClientSettings settings) {
    this.settings = settings;
    this.domain = settings.domain();
    this.http = new RegistryHttp(settings);
    this.registry = new ProductRegistry(http, domain, settings.verdictTimeout());
    this.kafka = new KafkaClients(settings);
    this.schemas = RestSchemaRegistryClient.fromConfig(serdeConfig());
    this.publisher = new RecordPublisher(settings, registry, kafka, schemas);
  }

  /** A client for {@code settings}; connects to nothing until used. */
  public static MeshClient create(MeshClientSettings settings) {
    return new MeshClient(Objects.requireNonNull(settings, "settings"));
  }

  /** A client for the settings in {@code settings} (see {@link MeshClientSettings#fromMap}). */
  public static MeshClient create(Map<String, ?> settings) {
    return create(MeshClientSettings.fromMap(settings));
  }

  private Map<String, Object> serdeConfig() {
    Map<String, Object> config = new HashMap<>(settings.registryProperties());
    config.put(
        SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG, settings.registryUrl().toString());
    config.putIfAbsent(
        SchemaRegistryClientConfig.REQUEST_TIMEOUT_MS_CONFIG, settings.requestTimeout().toMillis());
    return config;
  }

  /** The domain this client acts for. */
  public String domain() {
    return domain;
  }

  public MeshClientSettings settings() {
    return settings;
  }

  // Products: the owning domain.

  /**
   * Makes the registry hold this declaration of one of this domain's products: creates the product
   * if it is new, changes it if its descriptor differs, and does nothing (no event, no
   * notification) if it already holds. Safe to call at every start of a service.
   *
   * @return the product as it stands after the verdict
   * @throws ProductChangeRefusedException contract-validator's reasons (a bad SLO, an invalid input
   *     id, ...)
   * @throws MeshRequestException the product is retired (409 {@code PRODUCT_RETIRED})
   * @throws VerdictPendingException no verdict within the verdict timeout
   * @throws RegistryUnavailableException the registry could not be reached
   */
  public DataProduct declare(ProductDeclaration declaration) {
    Objects.requireNonNull(declaration, "declaration");
    return registry.declare(own(declaration.product()), declaration);
  }

  /**
   * Deprecates one of this domain's products: it keeps working, and its subscribers are told it
   * will be retired at {@code sunsetAt}. Deprecating again moves the sunset.
   *
   * @throws UnknownProductException the product was never declared
   * @throws ProductChangeRefusedException e.g. {@code SUNSET_NOT_IN_FUTURE}
   */
  public DataProduct deprecate(String product, Instant sunsetAt, String reason) {
    return deprecate(product, sunsetAt, reason, null);
  }

  /**
   * As {@link #deprecate(String, Instant, String)}, naming the product that replaces it: a consumer
   * holding an APPROVED subscription to {@code successor} counts as migrated, is not reminded of
   * the sunset, and does not hold the retirement back. Null keeps the successor named before, if
   * any.
   */
  public DataProduct deprecate(String product, Instant sunsetAt, String reason, String successor) {
    Objects.requireNonNull(sunsetAt, "sunsetAt");
    return registry.deprecate(
        own(product),
        sunsetAt,
        reason,
        successor == null ? null : ProductId.parse(successor).toString());
  }

  /**
   * Retires one of this domain's products: it takes no more records, its subscribers are told, and
   * it can never be declared again.
   *
   * @throws UnknownProductException the product was never declared
   */
  public DataProduct retire(String product, String reason) {
    return registry.retire(own(product), reason);
  }

  /**
   * Any product as the registry holds it now: lifecycle, health, latest contract version.
   *
   * @throws UnknownProductException the registry does not know it
   */
  public DataProduct product(String productId) {
    ProductId id = id(productId);
    DataProduct product = registry.find(id);
    if (product == null) {
      throw UnknownProductException.of(id.toString(), "be looked up");
    }
    return product;
  }

  // Contracts.

  /**
   * Registers {@code contract} as the next version of the product's contract (subject {@code
   * <domain>.<product>-value}), as checked by contract-validator under the subject's compatibility
   * level (BACKWARD unless set otherwise). Registering a version the subject already has changes
   * nothing and returns it ({@link RegisteredContract#newVersion()} false).
   *
   * @throws UnknownProductException the product was never declared
   * @throws ContractRefusedException incompatible or invalid, with the reasons
   * @throws VerdictPendingException contract-validator did not decide in time
   */
  public RegisteredContract registerContract(String product, Contract contract) {
    Objects.requireNonNull(contract, "contract");
    ProductId id = own(product);
    requireKnown(id, "take a contract");
    return registry.registerContract(id, contract);
  }

  /** {@link #registerContract(String, Contract)} for a schema without rules. */
  public RegisteredContract registerContract(String product, Schema schema) {
    return registerContract(product, Contract.of(schema));
  }

  /** {@link #registerContract(String, Contract)} for a generated class without rules. */
  public RegisteredContract registerContract(String product, Class<? extends SpecificRecord> type) {
    return registerContract(product, Contract.of(type));
  }

  /**
   * Whether {@code contract}'s schema could be registered as the product's next contract version,
   * with the reasons when not; registers nothing.
   */
  public CompatibilityVerdict checkContract(String product, Contract contract) {
    Objects.requireNonNull(contract, "contract");
    return registry.checkContract(id(product), contract);
  }

  /**
   * What {@code contract} would do to the product's APPROVED consumers if registered next: the
   * compatibility verdict at the subject's level and each field a consumer declared it reads that
   * it would break (such a registration is refused with 409 unless the owner overrides). Registers
   * nothing. Only the product's owning domain (or the platform) may ask.
   *
   * @throws UnknownProductException the product is not in the registry
   * @throws MeshRequestException the schema is not valid Avro (400), or the domain may not ask
   *     (403)
   */
  public ContractImpact impact(String product, Contract contract) {
    Objects.requireNonNull(contract, "contract");
    return registry.impact(id(product), contract);
  }

  // Records.

  /**
   * Publishes one record of one of this domain's products to its ingest topic, in the Confluent
   * wire format under the product's contract. contract-validator then forwards it unchanged to the
   * product topic, or to the dead-letter topic with the reason.
   *
   * <p><b>Ordering:</b> records with the same key keep their order (one key, one partition;
   * idempotent producer). <b>Blocking:</b> the first record of a product blocks to check it in the
   * registry and wait for its ingest topic (up to {@code topic-ready-timeout}); the first record of
   * each schema looks the schema up in the registry; otherwise it returns at once unless the
   * producer's buffer is full (up to {@code broker-timeout}). <b>Retries:</b> sends are retried by
   * the producer, without duplicates, until {@code delivery-timeout}.
   *
   * @param key the record's key (its partition and order), or null
   * @param record a generated Avro class or a GenericRecord whose schema is a registered version of
   *     the product's contract
   * @return completes when Kafka has the record; fails with {@link UnknownProductException}, {@link
   *     ContractNotRegisteredException} (the schema is not registered: register it first), {@link
   *     RecordEncodingException}, {@link BrokerUnavailableException} or {@link
   *     RegistryUnavailableException}. Never throws for those itself.
   */
  public CompletableFuture<PublishResult> publish(String product, String key, Object record) {
    ProductId id;
    try {
      id = own(product);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return publisher.publish(id, key, record);
  }

  /** Blocks until every record published so far is acknowledged or failed. */
  public void flush() {
    publisher.flush();
  }

  // Quality.

  /**
   * Reports one quality check result of one of this domain's products. It reaches quality-monitor
   * through contract-validator, which drops a repeat of the same event id.
   *
   * @throws UnknownProductException the product was never declared
   */
  public PublishedEvent publishQualityResult(String product, QualityResult result) {
    Objects.requireNonNull(result, "result");
    return registry.publishQuality(own(product), result);
  }

  // Subscriptions.

  /**
   * Subscribes this domain to another domain's product. Approved at once when the product's policy
   * is AUTO_APPROVE, else REQUESTED until its owner decides (this domain is notified). Subscribing
   * again returns the subscription as it stands.
   *
   * @throws UnknownProductException the product is not in the registry
   */
  public ProductSubscription subscribe(String productId, String purpose) {
    return registry.subscribe(id(productId), purpose, null, null);
  }

  /**
   * {@link #subscribe(String, String)}, declaring the fields this domain reads (dot paths of the
   * product's contract, e.g. {@code site.code}): once APPROVED, a contract change that breaks one
   * of them is refused unless the owner overrides, and the owner can ask who a change would break
   * ({@link #impact}).
   *
   * @throws MeshRequestException 400 when a path is not in the product's current contract
   */
  public ProductSubscription subscribe(String productId, String purpose, List<String> fields) {
    return registry.subscribe(id(productId), purpose, null, List.copyOf(fields));
  }

  /** Replaces the fields this domain declared it reads of a product it subscribes to. */
  public ProductSubscription declareFields(String productId, List<String> fields) {
    return registry.declareFields(id(productId), domain, List.copyOf(fields));
  }

  /** Ends this domain's subscription to a product. */
  public ProductSubscription unsubscribe(String productId) {
    return registry.unsubscribe(id(productId), domain);
  }

  /** Approves {@code consumerDomain}'s request to subscribe to one of this domain's products. */
  public ProductSubscription approveSubscription(String product, String consumerDomain) {
    return registry.decide(own(product), Names.requireDomain(consumerDomain), true);
  }

  /** Rejects {@code consumerDomain}'s request to subscribe to one of this domain's products. */
  public ProductSubscription rejectSubscription(String product, String consumerDomain) {
    return registry.decide(own(product), Names.requireDomain(consumerDomain), false);
  }

  // Issues.

  /**
   * Reports a problem or an improvement on a product (any domain's, this domain's own included).
   * Blocks until the registry has decided it, in order with every other change to the product's
   * issues; its owner is notified, and for a HIGH or CRITICAL problem its APPROVED subscribers too.
   *
   * @return the issue, OPEN
   * @throws UnknownProductException the product is not in the registry
   * @throws MeshRequestException the request was refused (400: a missing field)
   */
  public MeshIssue reportIssue(
      String productId, IssueKind kind, IssueSeverity severity, String title, String description) {
    return registry.reportIssue(
        id(productId),
        Objects.requireNonNull(kind, "kind"),
        Objects.requireNonNull(severity, "severity"),
        title,
        description);
  }

  /**
   * Moves an issue on: the product's owner acknowledges an OPEN issue, then resolves it (RESOLVED)
   * or declines it (WONT_FIX); the reporter (or the owner) may reopen a RESOLVED one (OPEN). The
   * other party is notified. Blocks until the registry has decided it.
   *
   * @param comment optional, kept in the issue's thread
   * @throws MeshRequestException 403: this domain may not; 409: the state machine does not allow
   *     the move; 404: no such issue
   */
  public MeshIssue changeIssueState(
      String productId, String issueId, IssueState state, String comment) {
    return registry.changeIssueState(
        id(productId), issueId, Objects.requireNonNull(state, "state"), comment);
  }

  /** Comments on an issue, as its reporter or the product's owner; the other party is notified. */
  public MeshIssue commentOnIssue(String productId, String issueId, String text) {
    return registry.commentOnIssue(id(productId), issueId, text);
  }

  /** One issue with its whole thread. */
  public MeshIssue issue(String productId, String issueId) {
    return registry.issue(id(productId), issueId);
  }

  /**
   * A product's issues, oldest first, without their threads.
   *
   * @param state only those in this state, or null for all
   */
  public List<MeshIssue> issues(String productId, IssueState state) {
    return registry.issues(id(productId), state);
  }

  /**
   * A consumer of a product's validated records, read into {@code type}: a generated Avro class
   * (each record resolved from the contract version it was written with into the class's schema) or
   * {@code GenericRecord.class} (each record as written). It reads as consumer group {@code <this
   * domain>.<consumerName>}, so every instance of a service with the same name shares the work, and
   * a new group starts at the beginning of the topic. Blocks until the product's topic exists (up
   * to {@code topic-ready-timeout}).
   *
   * <p>On a secured cluster the read needs an approved subscription ({@link #subscribe}); see
   * {@link ProductConsumer} for ordering, delivery and failures.
   *
   * @throws UnknownProductException the product is not in the registry
   */
  public <V> ProductConsumer<V> consume(String productId, Class<V> type, String consumerName) {
    Objects.requireNonNull(type, "type");
    if (consumerName == null || consumerName.isBlank() || consumerName.contains(" ")) {
      throw new IllegalArgumentException(
          "a consumer needs a name without spaces, e.g. \"signal-detection\"");
    }
    ProductId id = id(productId);
    requireKnown(id, "be read");
    String topic = DomainTopics.validated(id);
    kafka.awaitTopic(topic, id.toString());
    Map<String, Object> config = serdeConfig();
    KafkaAvroDeserializer deserializer;
    if (SpecificRecord.class.isAssignableFrom(type)) {
      config.put(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);
      deserializer = new KafkaAvroDeserializer(schemas, config, type);
    } else if (type == GenericRecord.class || type == Object.class) {
      deserializer = new KafkaAvroDeserializer(schemas, config);
    } else {
      throw new IllegalArgumentException(
          "read a product into a generated Avro class or GenericRecord.class, not "
              + type.getName());
    }
    var consumer =
        new ProductConsumerImpl<>(
            id.toString(),
            topic,
            domain + "." + consumerName,
            ProductConsumerImpl.avro(deserializer, type),
            kafka,
            settings.brokerTimeout());
    return track(consumer);
  }

  /**
   * A consumer of one of this domain's products' dead letters ({@code <domain>.<product>.dlq}): the
   * records contract-validator refused, each with the reason, the rule and field it broke and where
   * it came from, so the owner can fix the producer. Same group, ordering and delivery semantics as
   * {@link #consume}; blocks until the topic exists.
   *
   * @throws UnknownProductException the product was never declared
   */
  public ProductConsumer<DeadLetter> deadLetters(String product, String consumerName) {
    if (consumerName == null || consumerName.isBlank() || consumerName.contains(" ")) {
      throw new IllegalArgumentException(
          "a consumer needs a name without spaces, e.g. \"dlq-alerts\"");
    }
    ProductId id = own(product);
    requireKnown(id, "have dead letters read");
    String topic = DomainTopics.dlq(id);
    kafka.awaitTopic(topic, id.toString());
    return track(
        new ProductConsumerImpl<>(
            id.toString(),
            topic,
            domain + "." + consumerName,
            DeadLetters.decoder(id.toString()),
            kafka,
            settings.brokerTimeout()));
  }

  // Notifications.

  /**
   * This domain's latest notifications, newest first (the registry keeps the latest 200).
   *
   * @param limit 1 to 200
   */
  public List<MeshNotification> recentNotifications(int limit) {
    if (limit < 1 || limit > 200) {
      throw new IllegalArgumentException("limit must be from 1 to 200");
    }
    return registry.notifications(limit);
  }

  /**
   * Streams this domain's notifications to {@code listener} from now on, on a thread of the
   * stream's own; see {@link NotificationStream} for ordering and delivery. Returns at once; close
   * the stream (or the client) to stop.
   */
  public NotificationStream notifications(Consumer<MeshNotification> listener) {
    Objects.requireNonNull(listener, "listener");
    requireOpen();
    var stream = new SseNotificationStream(http, domain, listener);
    synchronized (this) {
      if (watchdog == null) {
        watchdog =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "meshbone-notifications-watchdog-" + domain);
                  t.setDaemon(true);
                  return t;
                });
      }
      return track(stream.start(watchdog));
    }
  }

  // Helpers.

  private <T extends AutoCloseable> T track(T closeable) {
    requireOpen();
    open.add(closeable);
    return closeable;
  }

  private void requireOpen() {
    if (closed) {
      throw new MeshClientException("the mesh client of " + domain + " is closed");
    }
  }

  private void requireKnown(ProductId id, String what) {
    if (!registry.exists(id)) {
      throw UnknownProductException.of(id.toString(), what);
    }
  }

  /** A product of this domain, by name or full id. */
  private ProductId own(String product) {
    ProductId id = id(product);
    if (!id.domain().equals(domain)) {
      throw new MeshRequestException(
          403,
          "FORBIDDEN",
          "domain "
              + domain
              + " cannot change "
              + id
              + ": it belongs to domain "
              + id.domain()
              + " (a domain writes only its own products; subscribe to read it)");
    }
    return id;
  }

  /** A product by full id, or by name inside this domain. */
  private ProductId id(String product) {
    Objects.requireNonNull(product, "product");
    try {
      return product.indexOf('.') >= 0 ? ProductId.parse(product) : new ProductId(domain, product);
    } catch (InvalidNameException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * Stops the notification streams and consumers it made, waits for records in flight (up to {@code
   * delivery-timeout}), and releases everything. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        // closing everything regardless; a consumer used by another thread may refuse
      }
    }
    open.clear();
    synchronized (this) {
      if (watchdog != null) {
        watchdog.shutdownNow();
      }
    }
    publisher.close();
    kafka.close();
    schemas.close();
    http.close();
  }
}
