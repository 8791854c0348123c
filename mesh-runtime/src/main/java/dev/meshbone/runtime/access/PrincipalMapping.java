package dev.meshbone.runtime.access;

import dev.meshbone.topics.Names;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Kafka principal a domain's clients authenticate as: a template in which {@code {domain}}
 * stands for the domain's name, {@code User:{domain}} by default ({@code
 * meshbone.access.principal}).
 *
 * <p>The broker decides the principal of a connection; this mapping only says what it will be, so
 * the access reconciler grants to the right one. With SASL/SCRAM or PLAIN the principal is {@code
 * User:<the user name>}, so a domain's user name is the domain's name (or the template's form of
 * it, e.g. {@code User:domain-{domain}}). With SASL/OAUTHBEARER the principal is {@code User:} and
 * the value of one claim of the token: the broker's {@code sasl.oauthbearer.sub.claim.name} (for
 * JWT validation) names that claim, so an identity provider that puts the domain into a claim gives
 * {@code User:<domain>} with the default template.
 */
public final class PrincipalMapping {
  /** The placeholder for the domain's name in a template. */
  public static final String DOMAIN = "{domain}";

  /** The default: a domain authenticates as a user named like the domain. */
  public static final String DEFAULT_TEMPLATE = "User:" + DOMAIN;

  private static final PrincipalMapping DEFAULT = new PrincipalMapping(DEFAULT_TEMPLATE);

  private final String template;
  private final Pattern reverse;

  private PrincipalMapping(String template) {
    this.template = template;
    int at = template.indexOf(DOMAIN);
    this.reverse =
        Pattern.compile(
            Pattern.quote(template.substring(0, at))
                + "("
                + Names.NAME_REGEX
                + ")"
                + Pattern.quote(template.substring(at + DOMAIN.length())));
  }

  /** {@code User:<domain>}. */
  public static PrincipalMapping defaults() {
    return DEFAULT;
  }

  /**
   * A mapping from a template such as {@code User:{domain}} or {@code User:svc-{domain}}.
   *
   * @throws IllegalArgumentException when the template is not {@code <type>:<name>} with {@code
   *     {domain}} exactly once in the name
   */
  public static PrincipalMapping of(String template) {
    Objects.requireNonNull(template, "template");
    String t = template.trim();
    int colon = t.indexOf(':');
    int at = t.indexOf(DOMAIN);
    if (colon < 1
        || at < colon
        || at != t.lastIndexOf(DOMAIN)
        || t.substring(0, colon).isBlank()
        || t.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "meshbone.access.principal '"
              + template
              + "' is not a principal template: write <type>:<name> with "
              + DOMAIN
              + " once in the name, e.g. "
              + DEFAULT_TEMPLATE);
    }
    return t.equals(DEFAULT_TEMPLATE) ? DEFAULT : new PrincipalMapping(t);
  }

  /** The principal of a domain's clients, e.g. {@code User:clinical-trials}. */
  public String principal(String domain) {
    return template.replace(DOMAIN, Names.requireDomain(domain));
  }

  /** The domain a principal stands for under this mapping, if it stands for one. */
  public Optional<String> domainOf(String principal) {
    if (principal == null) {
      return Optional.empty();
    }
    Matcher m = reverse.matcher(principal);
    return m.matches() && Names.isValidDomain(m.group(1))
        ? Optional.of(m.group(1))
        : Optional.empty();
  }

  public String template() {
    return template;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrincipalMapping p && p.template.equals(template);
  }

  @Override
  public int hashCode() {
    return template.hashCode();
  }

  @Override
  public String toString() {
    return template;
  }
}
