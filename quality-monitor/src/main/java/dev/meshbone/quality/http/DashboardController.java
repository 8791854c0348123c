package dev.meshbone.quality.http;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The SRE dashboard at {@code /}: one static page (its script and style are served from {@code
 * /dashboard/}, see {@code micronaut.router.static-resources} in {@code application-quality.yml})
 * that lists products by state from {@code GET /products} and keeps it live from {@code GET
 * /stream}. Its header links to the mesh console on mesh-registry: at {@value #CONSOLE_URL} when
 * set, else at this host's port 8081 (the page works that out).
 */
@Controller
public class DashboardController {
  /** Where the mesh console is, for the shared header's links. */
  public static final String CONSOLE_URL = "meshbone.dashboard.console-url";

  private final String page;

  public DashboardController(@Value("${" + CONSOLE_URL + ":}") String consoleUrl) {
    try (InputStream in = getClass().getResourceAsStream("/dashboard/index.html")) {
      if (in == null) {
        throw new IllegalStateException("dashboard/index.html is missing from the classpath");
      }
      page =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .replace("CONSOLE_URL", consoleUrl.replace("&", "&amp;").replace("\"", "&quot;"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Get(produces = MediaType.TEXT_HTML)
  public HttpResponse<String> index() {
    return HttpResponse.ok(page).header("Cache-Control", "no-cache");
  }
}
