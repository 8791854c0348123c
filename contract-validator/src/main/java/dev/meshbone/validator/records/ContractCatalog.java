package dev.meshbone.validator.records;

import dev.meshbone.contracts.Subjects;
import dev.meshbone.events.ChangeType;
import dev.meshbone.events.ContractVersion;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.SchemaReference;
import dev.meshbone.rules.DataRules;
import dev.meshbone.topics.ProductId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What record validation knows of the mesh, kept in memory: every contract version of {@code
 * mesh.contracts}, compiled, and every product's contract subject from {@code mesh.products}.
 *
 * <p>The two global-store processors of {@link RecordValidation} write it (Kafka Streams feeds them
 * every record of both topics, from the beginning at each start, before any stream thread runs);
 * every stream thread reads it. Writes are serialized; reads are lock-free over immutable {@link
 * SubjectView}s, and a stream thread re-resolves a product only when {@link #generation()} has
 * moved. One catalog belongs to one topology.
 */
public final class ContractCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(ContractCatalog.class);

  // Written under the lock only.
  private final Map<String, ContractVersion> versionsByKey = new HashMap<>();
  private final Map<String, Set<String>> keysBySubject = new HashMap<>();
  private final Map<Integer, Set<String>> subjectsById = new HashMap<>();
  private final Map<String, CompiledContract> compiled = new HashMap<>();

  // Read by stream threads.
  private final ConcurrentHashMap<String, SubjectView> subjects = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, String> firstSubjectById = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Product> products = new ConcurrentHashMap<>();
  private volatile long generation;

  /** A product as record validation needs it. */
  private record Product(String valueSubject, boolean retired) {}

  /** Moves whenever a contract or product changes. */
  public long generation() {
    return generation;
  }

  /** Adds or replaces the contract version stored under {@code key} on {@code mesh.contracts}. */
  public synchronized void putVersion(String key, ContractVersion version) {
    ContractVersion old = versionsByKey.put(key, version);
    if (old != null && !old.getSubject().equals(version.getSubject())) {
      forget(key, old);
    }
    keysBySubject.computeIfAbsent(version.getSubject(), s -> new HashSet<>()).add(key);
    subjectsById
        .computeIfAbsent(version.getSchemaId(), i -> new TreeSet<>())
        .add(version.getSubject());
    firstSubjectById.put(
        version.getSchemaId(), subjectsById.get(version.getSchemaId()).iterator().next());
    rebuild(version.getSubject());
  }

  /** Forgets the version under {@code key}: a permanent delete (a tombstone on the topic). */
  public synchronized void removeVersion(String key) {
    ContractVersion old = versionsByKey.remove(key);
    if (old != null) {
      forget(key, old);
      rebuild(old.getSubject());
    }
  }

  /** Records a product's latest state from {@code mesh.products}. */
  public synchronized void putProduct(String productId, DataProductEvent event) {
    String subject = null;
    if (event.getDescriptor() != null) {
      subject = event.getDescriptor().getContractSubject();
    }
    if (subject == null || subject.isBlank()) {
      subject =
          ProductId.isValid(productId)
              ? Subjects.valueSubject(ProductId.parse(productId))
              : Subjects.ofTopic(productId, false);
    }
    boolean retired =
        event.getStatus() == LifecycleStatus.RETIRED || event.getType() == ChangeType.RETIRED;
    // The registry files an ingest alias (<id>.ingest-value) under the canonical subject.
    products.put(productId, new Product(Subjects.canonical(subject), retired));
    generation++;
  }

  /** Forgets a product (a tombstone on {@code mesh.products}). */
  public synchronized void removeProduct(String productId) {
    if (products.remove(productId) != null) {
      generation++;
    }
  }

  /** What the product's records are checked against now. */
  ProductContracts resolve(ProductId id) {
    Product product = products.get(id.toString());
    String valueSubject = product == null ? Subjects.valueSubject(id) : product.valueSubject();
    String keySubject = Subjects.keySubjectOf(valueSubject);
    SubjectView keys = subjects.get(keySubject);
    return new ProductContracts(
        valueSubject,
        subjects.getOrDefault(valueSubject, SubjectView.EMPTY),
        keySubject,
        keys != null && keys.hasActive() ? keys : null,
        product != null && product.retired());
  }

  /** A subject that has the schema id, or null when no subject has it. */
  String subjectOf(int schemaId) {
    return firstSubjectById.get(schemaId);
  }

  private void forget(String key, ContractVersion old) {
    Set<String> keys = keysBySubject.get(old.getSubject());
    if (keys != null) {
      keys.remove(key);
      if (keys.isEmpty()) {
        keysBySubject.remove(old.getSubject());
      }
    }
    boolean idStillThere =
        keysBySubject.getOrDefault(old.getSubject(), Set.of()).stream()
            .map(versionsByKey::get)
            .anyMatch(v -> v.getSchemaId() == old.getSchemaId());
    if (!idStillThere) {
      Set<String> holders = subjectsById.get(old.getSchemaId());
      if (holders != null) {
        holders.remove(old.getSubject());
        if (holders.isEmpty()) {
          subjectsById.remove(old.getSchemaId());
          firstSubjectById.remove(old.getSchemaId());
        } else {
          firstSubjectById.put(old.getSchemaId(), holders.iterator().next());
        }
      }
    }
  }

  /** Recomputes one subject's view; compiles only versions not compiled before. */
  private void rebuild(String subject) {
    var byVersion = new TreeMap<Integer, ContractVersion>();
    for (String key : keysBySubject.getOrDefault(subject, Set.of())) {
      ContractVersion v = versionsByKey.get(key);
      byVersion.put(v.getVersion(), v);
    }
    var active = new HashMap<Integer, CompiledContract>();
    var deleted = new HashSet<Integer>();
    // Ascending versions: a later version with the same id replaces an earlier one's rules.
    for (ContractVersion v : byVersion.values()) {
      if (v.getDeleted()) {
        deleted.add(v.getSchemaId());
      } else {
        active.put(v.getSchemaId(), compile(v));
      }
    }
    if (byVersion.isEmpty()) {
      subjects.remove(subject);
    } else {
      subjects.put(subject, new SubjectView(active, deleted));
    }
    generation++;
  }

  private CompiledContract compile(ContractVersion v) {
    String cacheKey =
        v.getSubject()
            + '\u0000'
            + v.getVersion()
            + '\u0000'
            + v.getSchemaId()
            + '\u0000'
            + v.getRuleSetJson();
    CompiledContract done = compiled.get(cacheKey);
    if (done != null) {
      return done;
    }
    CompiledContract result;
    try {
      if (!"AVRO".equalsIgnoreCase(v.getSchemaType())) {
        throw new IllegalArgumentException(
            "its schema type is "
                + v.getSchemaType()
                + "; record validation checks Avro contracts only");
      }
      Schema schema = parse(v);
      // The same parse the registration decision ran: a version accepted since then compiles.
      DataRules rules = DataRules.parse(v.getRuleSetJson(), schema);
      result =
          new CompiledContract(
              v.getSubject(),
              v.getVersion(),
              v.getSchemaId(),
              AvroWalker.compile(schema, rules),
              rules,
              null);
    } catch (RuntimeException e) {
      String problem =
          "contract "
              + v.getSubject()
              + " version "
              + v.getVersion()
              + " (schema id "
              + v.getSchemaId()
              + ") cannot be used to check records: "
              + e.getMessage();
      LOG.warn("{}", problem);
      result =
          new CompiledContract(
              v.getSubject(), v.getVersion(), v.getSchemaId(), null, DataRules.NONE, problem);
    }
    compiled.put(cacheKey, result);
    return result;
  }

  /** Parses the version's schema, its references first (depth first, each once). */
  private Schema parse(ContractVersion v) {
    var parser = new Schema.Parser().setValidateDefaults(false);
    parseReferences(parser, v.getReferences(), new HashSet<>(), 0);
    return parser.parse(v.getSchema$());
  }

  private void parseReferences(
      Schema.Parser parser, List<SchemaReference> refs, Set<String> done, int depth) {
    if (depth > 32) {
      throw new IllegalArgumentException("schema references nest deeper than 32");
    }
    for (SchemaReference ref : refs) {
      String id = ref.getSubject() + ":" + ref.getVersion();
      if (!done.add(id)) {
        continue;
      }
      ContractVersion target = findVersion(ref.getSubject(), ref.getVersion());
      if (target == null) {
        throw new IllegalArgumentException(
            "its reference "
                + ref.getName()
                + " (subject "
                + ref.getSubject()
                + " version "
                + ref.getVersion()
                + ") is not in mesh.contracts");
      }
      parseReferences(parser, target.getReferences(), done, depth + 1);
      parser.parse(target.getSchema$());
    }
  }

  private ContractVersion findVersion(String subject, int version) {
    for (String key : keysBySubject.getOrDefault(subject, Set.of())) {
      ContractVersion v = versionsByKey.get(key);
      if (v.getVersion() == version) {
        return v;
      }
    }
    return null;
  }
}
