package dev.meshbone.runtime.security;

import dev.meshbone.runtime.http.ApiException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers a request {@link AccessControl} refused: 401 or 403 with the mesh's JSON error (or
 * Confluent's {@code error_code} 40101 / 40301 on the schema API's paths), the message saying what
 * the caller may not do. A 401 names the schemes the service accepts in {@code WWW-Authenticate},
 * so a browser asks for a user and password.
 */
@Produces
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class AccessDeniedHandler
    implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {
  private final ErrorResponseProcessor<?> processor;
  private final String challenge;

  public AccessDeniedHandler(ErrorResponseProcessor<?> processor, SecuritySettings settings) {
    this.processor = processor;
    List<String> schemes = new ArrayList<>();
    if (settings.enabled() && !settings.usersFiles().isEmpty()) {
      schemes.add("Basic realm=\"meshbone\", charset=\"UTF-8\"");
    }
    if (settings.enabled() && settings.jwt()) {
      schemes.add("Bearer realm=\"meshbone\"");
    }
    this.challenge = schemes.isEmpty() ? null : String.join(", ", schemes);
  }

  @Override
  public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException exception) {
    ApiException refusal =
        ((HttpRequest<?>) request)
            .getAttribute(AccessControl.REFUSAL, ApiException.class)
            .orElseGet(
                () ->
                    exception.isForbidden()
                        ? new ApiException(HttpStatus.FORBIDDEN, "FORBIDDEN", "access denied")
                        : new ApiException(
                            HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "authentication required"));
    MutableHttpResponse<?> response = HttpResponse.status(refusal.status());
    if (refusal.status() == HttpStatus.UNAUTHORIZED && challenge != null) {
      response.header(HttpHeaders.WWW_AUTHENTICATE, challenge);
    }
    return processor.processResponse(
        ErrorContext.builder(request).cause(refusal).errorMessage(refusal.getMessage()).build(),
        response);
  }
}
