package dev.meshbone.quality.http;

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
 * /stream}.
 */
@Controller
public class DashboardController {
  private final String page;

  public DashboardController() {
    try (InputStream in = getClass().getResourceAsStream("/dashboard/index.html")) {
      if (in == null) {
        throw new IllegalStateException("dashboard/index.html is missing from the classpath");
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
}
