package dev.meshbone.registry.products.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshbone.registry.products.view.Dto.QualityResult;
import dev.meshbone.runtime.http.ApiException;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

/** Bad bodies the fault suite's HTTP fuzzing found accepted: now 400s. */
class BodiesTest {
  private final Bodies bodies = new Bodies(JsonMapper.createDefault());

  @Test
  void shouldRefuseABodyWithTrailingGarbage() {
    assertThatThrownBy(
            () -> bodies.parse("{\"checkName\":\"c\",\"passed\":true}5}", QualityResult.class))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("MALFORMED_JSON"));
  }

  @Test
  void shouldRefuseAStringWhereABooleanBelongs() {
    assertThatThrownBy(
            () ->
                Bodies.requireBooleanOrAbsent("{\"checkName\":\"c\",\"passed\":\"yes\"}", "passed"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("INVALID_REQUEST"));
  }

  @Test
  void shouldTakeABooleanOrNoValue() {
    Bodies.requireBooleanOrAbsent("{\"passed\":false}", "passed");
    Bodies.requireBooleanOrAbsent("{\"checkName\":\"c\"}", "passed");
    assertThat(bodies.parse("{\"checkName\":\"c\",\"passed\":true}", QualityResult.class).passed())
        .isTrue();
  }
}
