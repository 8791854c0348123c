package dev.meshbone.runtime.http;

import io.micronaut.http.HttpStatus;
import java.time.Duration;
import java.util.Optional;

/**
 * A refusal the API explains: an HTTP status, a stable code and a message. Throw it from a
 * controller; {@link MeshErrorBodyProvider} turns it into {@link ApiError} JSON.
 */
public class ApiException extends RuntimeException {
  private final HttpStatus status;
  private final String code;
  private final Duration retryAfter;

  public ApiException(HttpStatus status, String code, String message) {
    this(status, code, message, null);
  }

  /**
   * A refusal the caller may try again after {@code retryAfter}: {@link ApiExceptionHandler}
   * answers it with a {@code Retry-After} header (whole seconds, at least 1).
   */
  public ApiException(HttpStatus status, String code, String message, Duration retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  public static ApiException badRequest(String code, String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, code, message);
  }

  public static ApiException notFound(String code, String message) {
    return new ApiException(HttpStatus.NOT_FOUND, code, message);
  }

  public static ApiException conflict(String code, String message) {
    return new ApiException(HttpStatus.CONFLICT, code, message);
  }

  public HttpStatus status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** How long the caller should wait before trying again, when it is worth trying again. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
