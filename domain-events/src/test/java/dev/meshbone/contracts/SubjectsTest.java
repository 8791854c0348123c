package dev.meshbone.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.topics.ProductId;
import org.junit.jupiter.api.Test;

class SubjectsTest {
  @Test
  void shouldResolveTheIngestAliasToTheCanonicalSubject() {
    assertThat(Subjects.canonical("sales.orders.ingest-value")).isEqualTo("sales.orders-value");
    assertThat(Subjects.canonical("sales.orders.ingest-key")).isEqualTo("sales.orders-key");
    assertThat(Subjects.isAlias("sales.orders.ingest-value")).isTrue();
  }

  @Test
  void shouldLeaveOtherSubjectsAsTheyAre() {
    assertThat(Subjects.canonical("sales.orders-value")).isEqualTo("sales.orders-value");
    assertThat(Subjects.canonical("sales.Order")).isEqualTo("sales.Order");
    // Not a valid product id before ".ingest": no alias.
    assertThat(Subjects.canonical("Sales.orders.ingest-value"))
        .isEqualTo("Sales.orders.ingest-value");
    assertThat(Subjects.canonical("sales.mesh.ingest-value")).isEqualTo("sales.mesh.ingest-value");
    assertThat(Subjects.canonical(null)).isNull();
  }

  @Test
  void shouldGiveTheOwnerAsTheDomainBeforeTheFirstDot() {
    assertThat(Subjects.owner("sales.orders-value")).contains("sales");
    assertThat(Subjects.owner("sales.com.acme.Order")).contains("sales");
    assertThat(Subjects.owner("orders-value")).isEmpty();
    assertThat(Subjects.owner("mesh.contracts-value")).isEmpty();
    assertThat(Subjects.owner(".orders-value")).isEmpty();
    assertThat(Subjects.owner("Sales.orders-value")).isEmpty();
  }

  @Test
  void shouldNameTheProductOfACanonicalOrAliasedSubject() {
    assertThat(Subjects.product("sales.orders-value")).contains(ProductId.parse("sales.orders"));
    assertThat(Subjects.product("sales.orders.ingest-key"))
        .contains(ProductId.parse("sales.orders"));
    assertThat(Subjects.product("sales.com.acme.Order")).isEmpty();
  }

  @Test
  void shouldSayWhyASubjectCannotBeWritten() {
    assertThat(Subjects.invalidReason("sales.orders-value")).isEmpty();
    assertThat(Subjects.invalidReason("orders-value").orElseThrow()).contains("<domain>.");
    assertThat(Subjects.invalidReason(" ").orElseThrow()).contains("missing");
    assertThat(Subjects.invalidReason("sales.a\u0000b").orElseThrow()).contains("control");
    assertThat(Subjects.invalidReason("sales." + "x".repeat(300)).orElseThrow())
        .contains("at most 255");
  }
}
