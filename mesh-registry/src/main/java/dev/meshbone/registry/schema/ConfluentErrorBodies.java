package dev.meshbone.registry.schema;

import dev.meshbone.contracts.RegistryErrors;
import dev.meshbone.runtime.http.ErrorBodyCustomizer;
import dev.meshbone.runtime.http.MeshErrorBodyProvider;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every error on the schema registry API's paths, including Micronaut's own (malformed JSON, a bad
 * parameter, an unknown route, a wrong media type), comes out as Confluent's {@code {"error_code":
 * N, "message": "..."}}, so Confluent clients always understand it. A server error is {@code
 * 50001}.
 */
@Singleton
public class ConfluentErrorBodies implements ErrorBodyCustomizer {
  /** The first path segments of the schema registry API. */
  static final List<String> PATHS =
      List.of(
          "/subjects",
          "/schemas",
          "/config",
          "/compatibility",
          "/mode",
          "/associations",
          "/contexts");

  @Override
  public Optional<Object> body(ErrorContext context, HttpResponse<?> response) {
    String path = context.getRequest().getPath();
    if (PATHS.stream().noneMatch(p -> path.equals(p) || path.startsWith(p + "/"))) {
      return Optional.empty();
    }
    HttpStatus status = response.status();
    int code =
        switch (status) {
          case UNAUTHORIZED -> RegistryErrors.UNAUTHORIZED;
          case FORBIDDEN -> RegistryErrors.FORBIDDEN;
          default -> status.getCode() >= 500 ? RegistryErrors.STORE_ERROR : status.getCode();
        };
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error_code", code);
    body.put("message", MeshErrorBodyProvider.apiError(context, response).message());
    return Optional.of(body);
  }
}
