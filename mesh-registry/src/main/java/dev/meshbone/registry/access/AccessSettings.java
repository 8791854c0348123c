package dev.meshbone.registry.access;

import dev.meshbone.runtime.access.PrincipalMapping;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The access reconciler's settings, under {@code meshbone.access.} ({@link AccessConfig} binds
 * them; defaults in {@link #DEFAULTS}). It is off unless {@code meshbone.access.enabled=true}: a
 * cluster without an authorizer has no use for ACLs.
 *
 * @param enabled {@code enabled} (false): whether this registry keeps the domains' Kafka ACLs in
 *     step with the mesh's state. The cluster must run an authorizer, and this service's principal
 *     needs ALTER and DESCRIBE on the cluster.
 * @param interval {@code interval} (30 s): how often the reconciler compares every managed ACL with
 *     the mesh's state even when nothing changed: an ACL deleted by hand is back within this
 *     interval. Changes to products and subscriptions are applied at once.
 * @param principal {@code principal} ({@code User:{domain}}): a domain's Kafka principal, {@code
 *     {domain}} standing for its name
 * @param domains {@code domains} (none): domains that get their rows before they own a product or
 *     hold a subscription (a domain that writes its control topic with its own Kafka client first).
 *     A domain whose control topic exists is known without being listed.
 * @param lockSessionTimeout {@code lock-session-timeout} (10 s): how soon another registry instance
 *     takes over reconciling when the one doing it dies without leaving (the session timeout of the
 *     single-writer lock)
 */
public record AccessSettings(
    boolean enabled,
    Duration interval,
    String principal,
    List<String> domains,
    Duration lockSessionTimeout) {
  /** The defaults, the one place they are written. */
  public static final AccessSettings DEFAULTS =
      new AccessSettings(
          false,
          Duration.ofSeconds(30),
          PrincipalMapping.DEFAULT_TEMPLATE,
          List.of(),
          Duration.ofSeconds(10));

  public AccessSettings {
    positive("interval", interval);
    positive("lock-session-timeout", lockSessionTimeout);
    Objects.requireNonNull(principal, "meshbone.access.principal");
    domains = List.copyOf(domains);
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("meshbone.access." + name + " must be positive, not " + d);
    }
  }
}
