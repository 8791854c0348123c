package dev.meshbone.registry.schema;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Answers a {@link SchemaRegistryException} as Confluent does. */
@Produces
@Singleton
public class SchemaRegistryExceptionHandler
    implements ExceptionHandler<SchemaRegistryException, HttpResponse<?>> {
  @Override
  public HttpResponse<?> handle(HttpRequest request, SchemaRegistryException exception) {
    return SchemaJson.respond(
        HttpStatus.valueOf(exception.httpStatus()),
        SchemaJson.error(exception.errorCode(), exception.getMessage()));
  }
}
