package dev.meshbone.registry.console;

import dev.meshbone.runtime.security.Actor;
import dev.meshbone.runtime.security.SecuritySettings;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The mesh console at {@code /console}: one static page (its script and style are served from
 * {@code /console/assets/}, see {@code micronaut.router.static-resources} in {@code
 * application-registry.yml}) that reads the registry API it sits beside. {@code GET /console/me}
 * tells the page who is looking, so it shows only what that principal may do.
 */
@Controller("/console")
public class ConsoleController {
  /** Where the quality dashboard is, for the shared header's link; empty: this host, port 8083. */
  public static final String QUALITY_URL = "meshbone.console.quality-url";

  private final String page;
  private final SecuritySettings security;
  private final String qualityUrl;

  public ConsoleController(
      SecuritySettings security, @Value("${" + QUALITY_URL + ":}") String qualityUrl) {
    this.security = security;
    this.qualityUrl = qualityUrl;
    try (InputStream in = getClass().getResourceAsStream("/console/index.html")) {
      if (in == null) {
        throw new IllegalStateException("console/index.html is missing from the classpath");
      }
      page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Get(produces = MediaType.TEXT_HTML)
  public HttpResponse<String> index() {
    return HttpResponse.ok(page).header("Cache-Control", "no-cache");
  }

  /**
   * Who is looking: the principal, the domain it acts as by itself, whether it has the platform
   * role (and so may act for any domain), and whether security is on at all (off: anyone acts as
   * any domain, unchecked).
   */
  @Get("/me")
  public Me me(HttpRequest<?> request) {
    Actor actor = Actor.of(request);
    return new Me(
        actor.principal(),
        actor.platform() ? null : actor.domain(),
        actor.platform(),
        security.enabled(),
        qualityUrl.isBlank() ? null : qualityUrl);
  }

  /** The answer of {@code GET /console/me}. */
  @Serdeable
  public record Me(
      @Nullable String principal,
      @Nullable String domain,
      boolean platform,
      boolean security,
      @Nullable String qualityUrl) {}
}
