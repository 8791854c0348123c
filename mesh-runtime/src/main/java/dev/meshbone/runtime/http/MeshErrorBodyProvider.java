package dev.meshbone.runtime.http;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.order.OrderUtil;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every JSON error of a meshbone service, whether a controller refused the request or Micronaut did
 * (malformed JSON, a missing parameter, an unknown route), has one shape: {@link ApiError} with a
 * stable code and a message. Services may shape some paths their own way through an {@link
 * ErrorBodyCustomizer}.
 */
@Singleton
@Replaces(JsonErrorResponseBodyProvider.class)
public class MeshErrorBodyProvider implements JsonErrorResponseBodyProvider<Object> {
  private final List<ErrorBodyCustomizer> customizers;

  public MeshErrorBodyProvider(List<ErrorBodyCustomizer> customizers) {
    var sorted = new ArrayList<>(customizers);
    OrderUtil.sort(sorted);
    this.customizers = List.copyOf(sorted);
  }

  @Override
  public Object body(ErrorContext context, HttpResponse<?> response) {
    for (ErrorBodyCustomizer customizer : customizers) {
      Optional<Object> body = customizer.body(context, response);
      if (body.isPresent()) {
        return body.get();
      }
    }
    return apiError(context, response);
  }

  /** The default body for this error. */
  public static ApiError apiError(ErrorContext context, HttpResponse<?> response) {
    Optional<Throwable> cause = context.getRootCause();
    if (cause.isPresent() && cause.get() instanceof ApiException api) {
      return new ApiError(api.code(), api.getMessage());
    }
    return new ApiError(codeOf(response.status(), cause), messageOf(context, response));
  }

  private static String codeOf(HttpStatus status, Optional<Throwable> cause) {
    if (status == HttpStatus.BAD_REQUEST && cause.isPresent() && isJsonError(cause.get())) {
      return "MALFORMED_JSON";
    }
    return switch (status) {
      case NOT_FOUND -> "NOT_FOUND";
      case METHOD_NOT_ALLOWED -> "METHOD_NOT_ALLOWED";
      case UNSUPPORTED_MEDIA_TYPE -> "UNSUPPORTED_MEDIA_TYPE";
      case REQUEST_ENTITY_TOO_LARGE -> "REQUEST_TOO_LARGE";
      case INTERNAL_SERVER_ERROR -> "INTERNAL_ERROR";
      default -> status.name().toUpperCase(Locale.ROOT);
    };
  }

  private static boolean isJsonError(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String name = c.getClass().getName();
      if (name.contains("Json") || name.contains("jackson") || name.contains("serde")) {
        return true;
      }
    }
    return false;
  }

  private static String messageOf(ErrorContext context, HttpResponse<?> response) {
    if (context.hasErrors()) {
      return context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
    }
    return response.reason();
  }
}
