package dev.meshbone.registry.schema;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;

/**
 * Confluent's {@code /associations} (topic-to-subject associations) and {@code /mode}, as far as
 * Confluent's clients need them: meshbone has no associations, so a lookup is 404 and Confluent's
 * JS serializer falls back to the topic-name subject; the registry is always read-write and has one
 * context.
 */
@Produces({SchemaJson.MEDIA_TYPE, "application/vnd.schemaregistry+json", "application/json"})
@Controller
public class AssociationsController {
  @Get("/associations/{+path}")
  HttpResponse<String> association(@PathVariable String path) {
    throw new SchemaRegistryException(
        40410,
        "Association for '"
            + SchemaJson.abbreviate(path)
            + "' not found: meshbone maps topics to subjects by name (<topic>-value, <topic>-key)");
  }

  /** meshbone has one context, Confluent's default. */
  @Get("/contexts")
  HttpResponse<String> contexts() {
    return SchemaJson.ok(java.util.List.of("."));
  }

  @Get("/mode")
  HttpResponse<String> mode() {
    return SchemaJson.ok(java.util.Map.of("mode", "READWRITE"));
  }
}
