package dev.meshbone.registry.access;

import dev.meshbone.runtime.access.PrincipalMapping;
import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The access reconciler's settings, under {@code meshbone.access.}. It is off unless {@code
 * meshbone.access.enabled=true}: a cluster without an authorizer has no use for ACLs.
 */
@ConfigurationProperties("meshbone.access")
public class AccessSettings {
  private boolean enabled;
  private Duration interval = Duration.ofSeconds(30);
  private String principal = PrincipalMapping.DEFAULT_TEMPLATE;
  private List<String> domains = new ArrayList<>();
  private Duration lockSessionTimeout = Duration.ofSeconds(10);

  /**
   * Whether this registry keeps the domains' Kafka ACLs in step with the mesh's state. The cluster
   * must run an authorizer, and this service's principal needs ALTER and DESCRIBE on the cluster.
   */
  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * How often the reconciler compares every managed ACL with the mesh's state even when nothing
   * changed: an ACL deleted by hand is back within this interval. Changes to products and
   * subscriptions are applied at once.
   */
  public Duration getInterval() {
    return interval;
  }

  public void setInterval(Duration interval) {
    this.interval = interval;
  }

  /** A domain's Kafka principal, {@code {domain}} standing for its name. */
  public String getPrincipal() {
    return principal;
  }

  public void setPrincipal(String principal) {
    this.principal = principal;
  }

  /**
   * Domains that get their rows before they own a product or hold a subscription (a domain that
   * writes its control topic with its own Kafka client first). A domain whose control topic exists
   * is known without being listed.
   */
  public List<String> getDomains() {
    return domains;
  }

  public void setDomains(List<String> domains) {
    this.domains = domains;
  }

  /**
   * How soon another registry instance takes over reconciling when the one doing it dies without
   * leaving (the session timeout of the single-writer lock).
   */
  public Duration getLockSessionTimeout() {
    return lockSessionTimeout;
  }

  public void setLockSessionTimeout(Duration lockSessionTimeout) {
    this.lockSessionTimeout = lockSessionTimeout;
  }
}
