package dev.meshbone.runtime.http;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * Answers an {@link ApiException} with its status and an {@link ApiError} body, and a {@code
 * Retry-After} header when it says when to try again.
 */
@Produces
@Singleton
public class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<?>> {
  private final ErrorResponseProcessor<?> processor;

  public ApiExceptionHandler(ErrorResponseProcessor<?> processor) {
    this.processor = processor;
  }

  @Override
  public HttpResponse<?> handle(HttpRequest request, ApiException exception) {
    var response = HttpResponse.status(exception.status());
    exception
        .retryAfter()
        .ifPresent(
            after ->
                response.header(
                    HttpHeaders.RETRY_AFTER,
                    Long.toString(Math.max(1, (after.toMillis() + 999) / 1000))));
    return processor.processResponse(
        ErrorContext.builder(request).cause(exception).errorMessage(exception.getMessage()).build(),
        response);
  }
}
