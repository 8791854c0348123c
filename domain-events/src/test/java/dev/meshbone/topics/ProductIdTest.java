package dev.meshbone.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProductIdTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sales.orders",
        "clinical-trials.enrollments",
        "a1.b2",
        "supply-chain.batch-releases-v2"
      })
  void shouldParseWellFormedIds(String id) {
    assertThat(ProductId.parse(id).toString()).isEqualTo(id);
    assertThat(ProductId.isValid(id)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "sales",
        "sales.",
        ".orders",
        "sales.orders.extra",
        "Sales.orders",
        "sales.Orders",
        "sales.or_ders",
        "1sales.orders",
        "sales.orders-",
        "s.orders",
        "mesh.orders",
        "sales.mesh",
        "sales.ingest",
        "sales.dlq",
        "sales.ord ers",
        "a-very-long-domain-name-that-goes-on-and-on.orders"
      })
  void shouldRefuseMalformedIdsNamingTheRule(String id) {
    assertThat(ProductId.isValid(id)).isFalse();
    assertThatThrownBy(() -> ProductId.parse(id))
        .isInstanceOf(InvalidNameException.class)
        .satisfies(e -> assertThat(e.getMessage()).containsAnyOf(Names.RULE, "reserved"));
  }

  @org.junit.jupiter.api.Test
  void shouldQuoteTheRuleInTheMessage() {
    assertThatThrownBy(() -> ProductId.parse("Sales.orders"))
        .hasMessageContaining("lowercase letters (a-z), digits and hyphens");
    assertThatThrownBy(() -> new ProductId("mesh", "orders")).hasMessageContaining("reserved");
  }

  @org.junit.jupiter.api.Test
  void shouldDeriveDefaultSubject() {
    assertThat(ProductId.parse("sales.orders").defaultValueSubject())
        .isEqualTo("sales.orders-value");
  }
}
