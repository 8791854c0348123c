package dev.meshbone.registry.products.routing;

import dev.meshbone.runtime.http.ApiException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * A store that stops being readable in the middle of a request (its task moves away or starts
 * restoring after the store was looked up) is a 503 with the mesh's JSON error, like any other
 * moment the registry cannot read its state; never a 500.
 */
@Produces
@Singleton
public class StoreUnavailableHandler
    implements ExceptionHandler<InvalidStateStoreException, HttpResponse<?>> {
  private final ErrorResponseProcessor<?> processor;

  public StoreUnavailableHandler(ErrorResponseProcessor<?> processor) {
    this.processor = processor;
  }

  @Override
  public HttpResponse<?> handle(HttpRequest request, InvalidStateStoreException exception) {
    var api =
        new ApiException(
            HttpStatus.SERVICE_UNAVAILABLE,
            "REGISTRY_UNAVAILABLE",
            "the registry cannot read its state right now (starting, restoring or rebalancing): "
                + exception.getMessage()
                + "; retry shortly");
    return processor.processResponse(
        ErrorContext.builder(request).cause(api).errorMessage(api.getMessage()).build(),
        HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1"));
  }
}
