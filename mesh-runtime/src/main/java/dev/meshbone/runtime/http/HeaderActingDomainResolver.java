package dev.meshbone.runtime.http;

import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Takes the acting domain from the {@value ActingDomainResolver#HEADER} header, or else from the
 * user name of HTTP basic authentication, which Confluent's Schema Registry clients send with
 * {@code basic.auth.user.info=<domain>:<anything>}. No password is checked: authentication is a
 * later step that replaces this bean.
 */
@Singleton
public class HeaderActingDomainResolver implements ActingDomainResolver {

  @Override
  public Optional<String> actingDomain(HttpRequest<?> request) {
    String header = request.getHeaders().get(HEADER);
    if (header != null && !header.isBlank()) {
      return Optional.of(header.trim());
    }
    return request.getHeaders().getAuthorization().flatMap(HeaderActingDomainResolver::basicUser);
  }

  private static Optional<String> basicUser(String authorization) {
    if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    try {
      String decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      String user = colon < 0 ? decoded : decoded.substring(0, colon);
      return user.isBlank() ? Optional.empty() : Optional.of(user);
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
  }
}
