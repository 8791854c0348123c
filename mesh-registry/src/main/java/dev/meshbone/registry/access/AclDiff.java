package dev.meshbone.registry.access;

import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;

/**
 * What to change so that the ACLs of the managed principals are exactly the desired ones: create
 * what is missing, delete what is there but not desired. Bindings of any other principal are never
 * touched, whatever they are.
 *
 * @param create desired bindings the cluster lacks
 * @param delete bindings of managed principals that are not desired
 */
public record AclDiff(Set<AclBinding> create, Set<AclBinding> delete) {

  public AclDiff {
    create = Set.copyOf(create);
    delete = Set.copyOf(delete);
  }

  /**
   * @param desired what the table says, for managed principals only
   * @param existing every binding the cluster holds (any principal)
   * @param managed the principals this reconciler owns
   */
  public static AclDiff of(Set<AclBinding> desired, Set<AclBinding> existing, Set<String> managed) {
    for (AclBinding b : desired) {
      if (!managed.contains(b.entry().principal())) {
        throw new IllegalArgumentException(
            "a desired binding for a principal that is not managed: " + b);
      }
    }
    Set<AclBinding> create = new LinkedHashSet<>(desired);
    create.removeAll(existing);
    Set<AclBinding> delete = new LinkedHashSet<>();
    for (AclBinding b : existing) {
      if (managed.contains(b.entry().principal()) && !desired.contains(b)) {
        delete.add(b);
      }
    }
    return new AclDiff(create, delete);
  }

  public boolean isEmpty() {
    return create.isEmpty() && delete.isEmpty();
  }
}
