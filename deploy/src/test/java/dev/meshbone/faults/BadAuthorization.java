package dev.meshbone.faults;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.meshbone.faults.GarbageFaultIT.BadRequest;
import dev.meshbone.faults.GarbageFaultIT.Endpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Bad Authorization headers on reads and writes of the registry and schema APIs: garbage Base64,
 * non-UTF-8 credentials, huge values, wrong passwords, unknown users, expired, forged, unsigned and
 * mangled JWTs, unknown schemes. Each must be answered 401 with a JSON error (a header over the
 * server's limit: a JSON 4xx before any check).
 */
final class BadAuthorization {
  static final String PREFIX = "Authorization: ";
  static final String OVERSIZED = "oversized";

  private BadAuthorization() {}

  /** A signing key trusted by the services (its JWKS in a file), and one that is not. */
  record Tokens(RSAKey trusted, RSAKey forger, Path jwksFile) {
    static Tokens create() throws Exception {
      RSAKey trusted = new RSAKeyGenerator(2048).keyID("faults").generate();
      RSAKey forger = new RSAKeyGenerator(2048).keyID("faults").generate();
      Path file = Files.createTempFile("faults-jwks", ".json");
      Files.writeString(file, new JWKSet(trusted.toPublicJWK()).toString());
      return new Tokens(trusted, forger, file);
    }

    String signed(RSAKey key, String subject, long expiresInSeconds) {
      try {
        var jwt =
            new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                claims(subject, expiresInSeconds));
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    String unsigned(String subject) {
      return new PlainJWT(claims(subject, 300)).serialize();
    }

    private static JWTClaimsSet claims(String subject, long expiresInSeconds) {
      return new JWTClaimsSet.Builder()
          .subject(subject)
          .issueTime(Date.from(Instant.now().minusSeconds(600)))
          .expirationTime(Date.from(Instant.now().plusSeconds(expiresInSeconds)))
          .build();
    }
  }

  static List<Endpoint> endpoints(String domain, String product, String subject, Tokens tokens) {
    List<String[]> registry =
        List.of(
            new String[] {"GET", "/products"},
            new String[] {"GET", "/products/" + product},
            new String[] {"POST", "/products/" + product + "/retirement"},
            new String[] {"GET", "/domains/" + domain + "/notifications"},
            new String[] {"GET", "/health"});
    List<String[]> schemas =
        List.of(
            new String[] {"GET", "/subjects/" + subject + "/versions"},
            new String[] {"POST", "/subjects/" + subject + "/versions"},
            new String[] {"PUT", "/config"},
            new String[] {"DELETE", "/subjects/" + subject});
    return List.of(
        endpoint(PREFIX + "registry API", false, registry, domain, tokens),
        endpoint(PREFIX + "schema registry API", true, schemas, domain, tokens));
  }

  private static Endpoint endpoint(
      String name, boolean confluent, List<String[]> routes, String domain, Tokens tokens) {
    return new Endpoint(
        name,
        confluent,
        random -> {
          String[] route = routes.get(random.nextInt(routes.size()));
          String[] bad = header(random, domain, tokens);
          return new BadRequest(
              bad[0],
              route[0],
              route[1],
              route[0].equals("GET") || route[0].equals("DELETE") ? null : "application/json",
              route[0].equals("GET") || route[0].equals("DELETE")
                  ? null
                  : "{\"schema\":\"x\"}".getBytes(StandardCharsets.UTF_8),
              Map.of("Authorization", bad[1], "X-Mesh-Domain", domain));
        });
  }

  /** What is wrong, and the header value. */
  private static String[] header(Random random, String domain, Tokens tokens) {
    String valid = tokens.signed(tokens.trusted(), domain, 300);
    return switch (random.nextInt(15)) {
      case 0 -> new String[] {"garbage Base64", "Basic " + junk(random, 1 + random.nextInt(60))};
      case 1 ->
          new String[] {
            "non-UTF-8 credentials",
            "Basic "
                + b64(
                    new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, ':', (byte) 0xFE, (byte) 0x80, 'x'})
          };
      case 2 -> {
        byte[] big = new byte[4_000 + random.nextInt(16_000)];
        random.nextBytes(big);
        yield new String[] {"huge Basic value", "Basic " + b64(big)};
      }
      case 3 -> new String[] {OVERSIZED + " header", "Bearer " + "x".repeat(40_000)};
      case 4 ->
          new String[] {"wrong password", "Basic " + b64(domain + ":wrong-" + random.nextInt())};
      case 5 ->
          new String[] {"unknown user", "Basic " + b64("nobody-" + random.nextInt(99) + ":x")};
      case 6 -> new String[] {"no colon", "Basic " + b64(domain)};
      case 7 -> new String[] {"empty credentials", random.nextBoolean() ? "Basic " : "Bearer "};
      case 8 ->
          new String[] {"expired JWT", "Bearer " + tokens.signed(tokens.trusted(), domain, -60)};
      case 9 ->
          new String[] {"forged JWT", "Bearer " + tokens.signed(tokens.forger(), domain, 300)};
      case 10 -> new String[] {"alg none JWT", "Bearer " + tokens.unsigned(domain)};
      case 11 -> {
        char[] chars = valid.toCharArray();
        int at = random.nextInt(chars.length);
        chars[at] = chars[at] == 'A' ? 'B' : 'A';
        yield new String[] {"mangled JWT", "Bearer " + new String(chars)};
      }
      case 12 -> new String[] {"garbage Bearer", "Bearer " + junk(random, 1 + random.nextInt(200))};
      case 13 ->
          new String[] {
            "unknown scheme", (random.nextBoolean() ? "Digest " : "Negotiate ") + junk(random, 20)
          };
      default -> new String[] {"JWT as Basic", "Basic " + valid};
    };
  }

  private static String junk(Random random, int length) {
    String chars = "abcXYZ019+/=!@#$%^&*()_-{}[]:;\"'<>,.?~` \t";
    var text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append(chars.charAt(random.nextInt(chars.length())));
    }
    return text.toString().strip().isEmpty() ? "!" : text.toString().strip();
  }

  private static String b64(String text) {
    return b64(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
