package dev.meshbone.local;

import dev.meshbone.registry.access.AclDiff;
import dev.meshbone.runtime.access.AclTable;
import dev.meshbone.runtime.access.ServiceAccount;
import dev.meshbone.runtime.access.ServiceAccounts;
import dev.meshbone.runtime.access.TopicCreation;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.Names;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * The Kafka side of a secure local mesh ({@code bin/local-mesh --secure}).
 *
 * <ul>
 *   <li>The client listener takes SASL/SCRAM-SHA-512 over {@code SASL_PLAINTEXT}; {@code
 *       StandardAuthorizer} decides every request, with {@code
 *       allow.everyone.if.no.acl.found=false}: an unauthenticated client is refused, and an
 *       authenticated one may do only what an ACL allows.
 *   <li>Every user of the users files whose password is known in plaintext becomes a SCRAM
 *       credential (a user given only as a hash cannot: SCRAM needs the password); credentials of
 *       users no longer in the files are removed.
 *   <li>meshbone's services log in as principals of their own ({@code User:meshbone.<service>})
 *       with passwords generated at every start, held only in this process, and get the services'
 *       rows of the ACL table; mesh-registry's access reconciler keeps the domains' rows.
 *   <li>The controller listener (localhost) is SASL too, PLAIN, for the broker's own super user
 *       ({@value #SUPER_USER}) only. Left PLAINTEXT, its connections would be {@code
 *       User:ANONYMOUS}, which would have to be a super user for the broker to register with its
 *       controller, and any program on the machine could then create ACLs through it.
 *   <li>The super user logs in with PLAIN, because SCRAM credentials live in the cluster's
 *       metadata, which the broker's first login cannot read; its password is random at every start
 *       and never leaves this process. The platform user ({@value LocalCredentials#ADMIN}) is a
 *       super user too, for an operator's own tools.
 * </ul>
 */
public final class LocalKafkaSecurity {
  /** The client listener's mechanism. */
  public static final String MECHANISM = "SCRAM-SHA-512";

  /** The broker's own super user (not a valid domain or users-file name). */
  public static final String SUPER_USER = "meshbone_super";

  /** How often the access reconciler compares every ACL on the local mesh. */
  public static final String RECONCILE_INTERVAL = "10s";

  static final String LISTENER = "CLIENT";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String superPassword;
  private final ServiceAccounts accounts = ServiceAccounts.defaults();
  private final Map<String, String> servicePasswords = new HashMap<>();

  private LocalKafkaSecurity(String superPassword) {
    this.superPassword = superPassword;
    for (ServiceAccount s : accounts.all()) {
      servicePasswords.put(s.service(), secret());
    }
  }

  /** New random passwords for the broker's super user and the three services. */
  public static LocalKafkaSecurity generate() {
    return new LocalKafkaSecurity(secret());
  }

  /** The broker settings: listeners, SASL, the authorizer and the super users. */
  Map<String, String> brokerConfig(int port, int controllerPort) {
    var props = new LinkedHashMap<String, String>();
    props.put(
        "listeners",
        LISTENER + "://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
    props.put("advertised.listeners", LISTENER + "://localhost:" + port);
    props.put(
        "listener.security.protocol.map", LISTENER + ":SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
    props.put("inter.broker.listener.name", LISTENER);
    String plain =
        "org.apache.kafka.common.security.plain.PlainLoginModule required username="
            + quote(SUPER_USER)
            + " password="
            + quote(superPassword)
            + " user_"
            + SUPER_USER
            + "="
            + quote(superPassword)
            + ";";
    String client = "listener.name." + LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
    props.put(client + "sasl.enabled.mechanisms", MECHANISM + ",PLAIN");
    props.put(client + "plain.sasl.jaas.config", plain);
    props.put(
        client + "scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
    // The controller listener takes only the super user (PLAIN: the controller cannot read SCRAM
    // credentials from the metadata it is about to serve), so nothing reaches it anonymously.
    props.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
    props.put("listener.name.controller.plain.sasl.jaas.config", plain);
    props.put("sasl.mechanism.controller.protocol", "PLAIN");
    props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    props.put("allow.everyone.if.no.acl.found", "false");
    props.put("super.users", "User:" + SUPER_USER + ";User:" + LocalCredentials.ADMIN);
    return props;
  }

  /** The broker super user's client settings. */
  Map<String, Object> superClient(String bootstrapServers) {
    var config = new HashMap<String, Object>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    config.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
    config.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.plain.PlainLoginModule required username="
            + quote(SUPER_USER)
            + " password="
            + quote(superPassword)
            + ";");
    return config;
  }

  /**
   * The Kafka client settings of a SCRAM user, by Kafka's names: {@code security.protocol}, {@code
   * sasl.mechanism}, {@code sasl.jaas.config}.
   */
  public static Map<String, Object> scramClient(String user, String password) {
    var config = new LinkedHashMap<String, Object>();
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    config.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
    config.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.scram.ScramLoginModule required username="
            + quote(user)
            + " password="
            + quote(password)
            + ";");
    return config;
  }

  /** What {@link #prepare} did, for the launcher's summary. */
  record Prepared(List<String> users, List<String> hashOnly, int removed) {}

  /**
   * Makes the broker's users and the services' ACLs what they should be: a SCRAM credential for
   * every user of {@code credentials} with a known password and for each service, none for anyone
   * else, and exactly the services' rows of the ACL table on the services' principals.
   */
  Prepared prepare(String bootstrapServers, LocalCredentials credentials) throws Exception {
    Map<String, String> users = new LinkedHashMap<>();
    List<String> hashOnly = new ArrayList<>();
    for (String name : credentials.names()) {
      credentials.password(name).ifPresentOrElse(p -> users.put(name, p), () -> hashOnly.add(name));
    }
    for (ServiceAccount s : accounts.all()) {
      users.put(s.userName(), servicePasswords.get(s.service()));
    }
    try (Admin admin = Admin.create(superClient(bootstrapServers))) {
      Set<String> existing =
          admin.describeUserScramCredentials().all().get(30, TimeUnit.SECONDS).keySet();
      List<UserScramCredentialAlteration> changes = new ArrayList<>();
      users.forEach(
          (user, password) ->
              changes.add(
                  new UserScramCredentialUpsertion(
                      user,
                      new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                      password)));
      int removed = 0;
      for (String user : existing) {
        if (!users.containsKey(user)) {
          changes.add(new UserScramCredentialDeletion(user, ScramMechanism.SCRAM_SHA_512));
          removed++;
        }
      }
      admin.alterUserScramCredentials(changes).all().get(30, TimeUnit.SECONDS);

      Set<AclBinding> desired =
          AclTable.serviceBindings(accounts, MeshTopics.defaults(), TopicCreation.SERVICES);
      Set<AclBinding> current =
          new HashSet<>(
              admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS));
      Set<String> services =
          accounts.all().stream().map(ServiceAccount::principal).collect(Collectors.toSet());
      AclDiff diff = AclDiff.of(desired, current, services);
      if (!diff.create().isEmpty()) {
        admin.createAcls(diff.create()).all().get(30, TimeUnit.SECONDS);
      }
      if (!diff.delete().isEmpty()) {
        admin
            .deleteAcls(diff.delete().stream().map(AclBinding::toFilter).toList())
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      return new Prepared(List.copyOf(users.keySet()), hashOnly, removed);
    }
  }

  /**
   * A service's settings on the secure mesh: its own SCRAM login for every Kafka client, and for
   * mesh-registry the access reconciler, which knows every domain of the users files from the
   * start.
   */
  Map<String, Object> serviceProperties(String service, LocalCredentials credentials) {
    ServiceAccount account = accounts.of(service);
    var properties = new LinkedHashMap<String, Object>();
    scramClient(account.userName(), servicePasswords.get(service))
        .forEach((name, value) -> properties.put("kafka." + name, value));
    if (service.equals(ServiceAccount.REGISTRY)) {
      properties.put("meshbone.access.enabled", true);
      properties.put("meshbone.access.interval", RECONCILE_INTERVAL);
      Set<String> domains = new LinkedHashSet<>();
      for (String name : credentials.names()) {
        if (!name.equals(LocalCredentials.ADMIN) && Names.isValidDomain(name)) {
          domains.add(name);
        }
      }
      if (!domains.isEmpty()) {
        properties.put("meshbone.access.domains", String.join(",", domains));
      }
    }
    return properties;
  }

  /**
   * A JAAS option value in double quotes, with backslashes and quotes escaped as the JAAS parser
   * reads them.
   */
  static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String secret() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
