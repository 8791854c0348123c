package dev.meshbone.runtime.security;

/** Who may call an endpoint: the kinds of rule in {@link AccessRules}. */
public enum Access {
  /** Anyone, with or without credentials (UP/DOWN health; details only for the platform role). */
  OPEN,
  /**
   * Any authenticated principal: the catalogue, contracts, lineage, stats, product health. Also
   * anonymous callers when {@code meshbone.security.anonymous-catalogue-reads=true}.
   */
  READ,
  /** The platform role, or anyone when {@code meshbone.security.prometheus=open}. */
  METRICS,
  /** The platform role (mesh-wide settings such as the global compatibility level). */
  PLATFORM,
  /**
   * Any domain acting as itself; what it may do with the body is checked by the controller with
   * {@link AccessRules#requireDomain} (a product registered must be its own).
   */
  DOMAIN,
  /** The domain named by the path variable {@code {domain}}. */
  NAMED_DOMAIN,
  /** The domain that owns the product {@code {id}}. */
  PRODUCT_OWNER,
  /** The domain that owns the subject {@code {subject}} (its {@code <domain>.} prefix). */
  SUBJECT_OWNER,
  /** The consumer domain {@code {consumer}}, or the domain that owns the product {@code {id}}. */
  CONSUMER_OR_OWNER,
  /** The consumer domain {@code {consumer}} only. */
  CONSUMER,
  /** The domain that owns the product {@code {id}}, or the platform role (as itself or not). */
  PRODUCT_OWNER_OR_PLATFORM
}
