package dev.meshbone.registry.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Request bodies of the schema registry API. */
class SchemaJsonTest {
  @Test
  void shouldRefuseABodyWithTrailingGarbage() {
    assertThatThrownBy(() -> SchemaJson.parse("{\"schema\":\"\\\"string\\\"\"}5}"))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("malformed JSON");
  }

  @Test
  void shouldReadOneJsonObject() {
    assertThat(SchemaJson.parse("{\"schema\":\"\\\"string\\\"\"} \n").path("schema").asText())
        .isEqualTo("\"string\"");
  }
}
