package dev.meshbone.runtime.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import java.util.Optional;

/**
 * Lets a service shape the error bodies of some of its paths differently, such as the schema
 * registry API, which must answer in Confluent's {@code {"error_code": N, "message": "..."}}. The
 * first customizer that returns a body wins; without one, errors are {@link ApiError}.
 */
public interface ErrorBodyCustomizer {
  Optional<Object> body(ErrorContext context, HttpResponse<?> response);
}
