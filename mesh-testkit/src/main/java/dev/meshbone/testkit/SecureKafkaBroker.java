package dev.meshbone.testkit;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single combined KRaft node, as {@link EmbeddedKafkaBroker}, secured as a production cluster
 * would be: clients connect with SASL/SCRAM-SHA-512 over {@code SASL_PLAINTEXT}, the {@code
 * StandardAuthorizer} decides every request, and {@code allow.everyone.if.no.acl.found=false}, so a
 * principal may do only what an ACL allows. An unauthenticated client is refused.
 *
 * <p>The controller listener stays PLAINTEXT on localhost: there every connection is {@code
 * User:ANONYMOUS}, which must be a super user for the broker to register with its controller. That
 * principal cannot arise on the client listener, where every connection authenticates. SCRAM users
 * are added with the Admin API ({@code alterUserScramCredentials}) by the broker's own super user
 * (see {@link #brokerSecurity}).
 */
public final class SecureKafkaBroker implements KafkaBroker, AutoCloseable {
  /** The SASL mechanism of the client listener. */
  public static final String MECHANISM = "SCRAM-SHA-512";

  /** The super user every {@link #admin()} and {@link #clientConfig()} authenticates as. */
  public static final String SUPER_USER = "meshbone_super";

  private final KafkaClusterTestKit cluster;
  private final String superPassword;

  private SecureKafkaBroker(KafkaClusterTestKit cluster, String superPassword) {
    this.cluster = cluster;
    this.superPassword = superPassword;
  }

  /** Formats and starts a new secure node, creates its super user, and waits until it serves. */
  public static SecureKafkaBroker start() {
    return start(null);
  }

  /**
   * As {@link #start()}, the client listener also taking SASL/OAUTHBEARER when {@code
   * oauthPrincipalClaim} is given: with Kafka's unsecured token validator (test use only: it checks
   * no signature), whose principal is {@code User:} and the value of that claim of the token, as
   * {@code sasl.oauthbearer.sub.claim.name} makes it for signed JWTs.
   */
  public static SecureKafkaBroker start(String oauthPrincipalClaim) {
    String password = randomSecret();
    try {
      var nodes =
          new TestKitNodes.Builder()
              .setCombined(true)
              .setNumBrokerNodes(1)
              .setNumControllerNodes(1)
              .setBootstrapMetadataVersion(MetadataVersion.LATEST_PRODUCTION)
              .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
              .setControllerSecurityProtocol(SecurityProtocol.PLAINTEXT)
              .build();
      String listener = nodes.brokerListenerName().value().toLowerCase(java.util.Locale.ROOT);
      var builder = new KafkaClusterTestKit.Builder(nodes);
      brokerSecurity(listener, password).forEach(builder::setConfigProp);
      if (oauthPrincipalClaim != null) {
        builder.setConfigProp("sasl.enabled.mechanisms", MECHANISM + ",PLAIN,OAUTHBEARER");
        builder.setConfigProp(
            "listener.name." + listener + ".oauthbearer.sasl.jaas.config",
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
                // the broker's own login takes a token too; it is never sent anywhere
                + " unsecuredLoginStringClaim_sub=\""
                + SUPER_USER
                + "\" unsecuredValidatorPrincipalClaimName=\""
                + oauthPrincipalClaim
                + "\";");
      }
      var cluster =
          builder
              .setConfigProp("group.initial.rebalance.delay.ms", "0")
              .setConfigProp("auto.create.topics.enable", "false")
              .setConfigProp("transaction.state.log.replication.factor", "1")
              .setConfigProp("transaction.state.log.min.isr", "1")
              .setConfigProp("offsets.topic.replication.factor", "1")
              .setConfigProp("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")
              .build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      return new SecureKafkaBroker(cluster, password);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot start the secure embedded Kafka broker: " + e.getMessage(), e);
    }
  }

  /**
   * The broker settings that secure a client listener named {@code listener}: SCRAM-SHA-512 for
   * every user, StandardAuthorizer, no access without an ACL, and the super users {@code
   * User:ANONYMOUS} (the PLAINTEXT controller listener only) and {@value #SUPER_USER}. The super
   * user is the broker's own identity (it reaches itself with it) and the one that creates the
   * SCRAM users: it logs in with PLAIN against this listener's configuration, because SCRAM
   * credentials live in the cluster's metadata, which a broker's first login cannot read yet. Its
   * password is random and lives only in this configuration.
   */
  public static Map<String, String> brokerSecurity(String listener, String superPassword) {
    var props = new HashMap<String, String>();
    String prefix = "listener.name." + listener.toLowerCase(java.util.Locale.ROOT) + ".";
    props.put("sasl.enabled.mechanisms", MECHANISM + ",PLAIN");
    props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
    props.put(
        prefix + "plain.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + SUPER_USER
            + "\" password=\""
            + superPassword
            + "\" user_"
            + SUPER_USER
            + "=\""
            + superPassword
            + "\";");
    props.put(
        prefix + MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    props.put("allow.everyone.if.no.acl.found", "false");
    props.put("super.users", "User:ANONYMOUS;User:" + SUPER_USER);
    return props;
  }

  /** The client settings of the super user (PLAIN). */
  public static Map<String, Object> superUserClient(String bootstrapServers, String superPassword) {
    var config = new HashMap<String, Object>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    config.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
    config.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + SUPER_USER
            + "\" password=\""
            + superPassword
            + "\";");
    return config;
  }

  /** The JAAS line of a SCRAM client. */
  public static String jaas(String user, String password) {
    if (user.contains("\"") || password.contains("\"") || password.contains("\\")) {
      throw new IllegalArgumentException("a user name or password with a quote or backslash");
    }
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  /** A random password of 32 letters and digits. */
  public static String randomSecret() {
    var random = new SecureRandom();
    String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    var s = new StringBuilder();
    for (int i = 0; i < 32; i++) {
      s.append(chars.charAt(random.nextInt(chars.length())));
    }
    return s.toString();
  }

  /** Creates or changes a SCRAM-SHA-512 user, and returns once the broker accepts its password. */
  public void addUser(String user, String password) {
    addUsers(Map.of(user, password));
  }

  /**
   * Creates or changes SCRAM-SHA-512 users in one request, and returns once the broker accepts
   * their passwords.
   */
  public void addUsers(Map<String, String> users) {
    List<UserScramCredentialAlteration> alterations = new ArrayList<>();
    users.forEach(
        (user, password) ->
            alterations.add(
                new UserScramCredentialUpsertion(
                    user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)));
    try (Admin admin = admin()) {
      admin.alterUserScramCredentials(alterations).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot add the SCRAM users " + users.keySet(), e);
    }
    users.forEach((user, password) -> awaitAuthenticates(user, password, Duration.ofSeconds(30)));
  }

  private void awaitAuthenticates(String user, String password, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    var config = new HashMap<>(clientConfig(user, password));
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    while (true) {
      try (Admin admin = Admin.create(config)) {
        admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(user + " cannot authenticate within " + timeout, e);
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** The PLAINTEXT controller listener (its connections are {@code User:ANONYMOUS}). */
  public String bootstrapControllers() {
    return cluster.bootstrapControllers();
  }

  @Override
  public String kind() {
    return "embedded-secure";
  }

  /** The super user's client settings: what the conveniences of {@link KafkaBroker} use. */
  @Override
  public Map<String, Object> clientConfig() {
    return superUserClient(bootstrapServers(), superPassword);
  }

  /** Client settings of a SCRAM-SHA-512 user. */
  public Map<String, Object> clientConfig(String user, String password) {
    var config = new HashMap<String, Object>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    config.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
    config.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(user, password));
    return config;
  }

  /**
   * Client settings of an OAUTHBEARER client with an unsecured token holding these string claims
   * ({@code sub} among them); see {@link #start(String)}.
   */
  public Map<String, Object> oauthClientConfig(Map<String, String> claims) {
    var jaas =
        new StringBuilder(
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required");
    claims.forEach(
        (name, value) ->
            jaas.append(" unsecuredLoginStringClaim_")
                .append(name)
                .append("=\"")
                .append(value)
                .append('"'));
    var config = new HashMap<String, Object>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    config.put(SaslConfigs.SASL_MECHANISM, "OAUTHBEARER");
    config.put(SaslConfigs.SASL_JAAS_CONFIG, jaas.append(';').toString());
    return config;
  }

  /** The test kit itself. */
  public KafkaClusterTestKit testKit() {
    return cluster;
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the secure embedded Kafka broker", e);
    }
  }
}
