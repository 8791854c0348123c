package dev.meshbone.contracts;

import dev.meshbone.events.ContractVersion;
import dev.meshbone.events.SchemaReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Confluent schema references: a schema may use named types registered under other subjects, naming
 * each by {@code (name, subject, version)}. The registry stores references with concrete versions
 * and parses a schema after every schema it references, transitively.
 */
public final class References {
  private static final int MAX_DEPTH = 32;

  private References() {}

  /**
   * The references with {@code version: -1} ("the latest") replaced by the subject's latest live
   * version now, so a stored reference always means the same schema.
   *
   * @param versionsOf every version of a (canonical) subject, oldest first
   */
  public static List<SchemaReference> concrete(
      List<SchemaReference> references, Function<String, List<ContractVersion>> versionsOf) {
    List<SchemaReference> concrete = new ArrayList<>();
    for (SchemaReference reference : references) {
      if (reference.getVersion() != -1) {
        concrete.add(reference);
        continue;
      }
      int latest = -1;
      for (ContractVersion v : versionsOf.apply(subjectOf(reference))) {
        if (!v.getDeleted()) {
          latest = v.getVersion();
        }
      }
      concrete.add(
          latest == -1
              ? reference
              : SchemaReference.newBuilder(reference).setVersion(latest).build());
    }
    return concrete;
  }

  /**
   * The texts of the schemas {@code references} name, each after its own references, so a parser
   * that reads them in order knows every named type before it is used.
   *
   * @throws InvalidContractException if a referenced subject version does not exist
   */
  public static List<String> resolve(
      List<SchemaReference> references, Function<String, List<ContractVersion>> versionsOf) {
    return resolve(references, versionsOf, 0, new HashSet<>());
  }

  private static List<String> resolve(
      List<SchemaReference> references,
      Function<String, List<ContractVersion>> versionsOf,
      int depth,
      Set<String> seen) {
    if (references.isEmpty()) {
      return List.of();
    }
    if (depth > MAX_DEPTH) {
      throw new InvalidContractException(
          RegistryErrors.INVALID_SCHEMA,
          "Invalid schema: references are nested more than " + MAX_DEPTH + " deep");
    }
    List<String> texts = new ArrayList<>();
    for (SchemaReference reference : references) {
      String subject = subjectOf(reference);
      ContractVersion target = null;
      for (ContractVersion v : versionsOf.apply(subject)) {
        if (reference.getVersion() == -1
            ? !v.getDeleted()
            : v.getVersion() == reference.getVersion()) {
          target = v;
        }
      }
      if (target == null) {
        throw new InvalidContractException(
            RegistryErrors.INVALID_SCHEMA,
            "Invalid schema: reference '"
                + reference.getName()
                + "' names subject '"
                + reference.getSubject()
                + "' version "
                + reference.getVersion()
                + ", which does not exist");
      }
      if (seen.add(subject + ":" + target.getVersion())) {
        texts.addAll(resolve(target.getReferences(), versionsOf, depth + 1, seen));
        texts.add(target.getSchema$());
      }
    }
    return texts;
  }

  private static String subjectOf(SchemaReference reference) {
    String subject = Subjects.canonical(reference.getSubject());
    return subject == null ? "" : subject;
  }
}
