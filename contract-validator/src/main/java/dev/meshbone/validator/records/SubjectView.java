package dev.meshbone.validator.records;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * The schema ids a subject accepts records under, immutable: rebuilt by the {@link ContractCatalog}
 * whenever the subject changes, read by every stream thread without locks. An id accepted here is
 * one of the subject's versions that is not deleted; when the same id is in several versions, the
 * latest such version's rules apply.
 */
final class SubjectView {
  static final SubjectView EMPTY = new SubjectView(Map.of(), Set.of());

  private final int[] ids;
  private final CompiledContract[] contracts;
  private final int[] deletedIds;

  SubjectView(Map<Integer, CompiledContract> active, Set<Integer> deleted) {
    this.ids = active.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    this.contracts = new CompiledContract[ids.length];
    for (int i = 0; i < ids.length; i++) {
      contracts[i] = active.get(ids[i]);
    }
    this.deletedIds =
        deleted.stream()
            .mapToInt(Integer::intValue)
            .filter(id -> !active.containsKey(id))
            .sorted()
            .toArray();
  }

  /** The contract for records with this schema id, or null if the subject does not accept it. */
  CompiledContract active(int schemaId) {
    int[] a = ids;
    // Subjects have few versions: a linear scan beats a binary search up to a few dozen.
    if (a.length <= 16) {
      for (int i = 0; i < a.length; i++) {
        if (a[i] == schemaId) {
          return contracts[i];
        }
      }
      return null;
    }
    int i = Arrays.binarySearch(a, schemaId);
    return i < 0 ? null : contracts[i];
  }

  /** Whether the id was in the subject only in versions that are now deleted. */
  boolean isDeleted(int schemaId) {
    return Arrays.binarySearch(deletedIds, schemaId) >= 0;
  }

  /** Whether any version of the subject accepts records. */
  boolean hasActive() {
    return ids.length > 0;
  }
}
