package dev.meshbone.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContractKeysTest {
  @Test
  void shouldWriteAndParseVersionKeys() {
    String key = ContractKeys.version("sales.orders-value", 12);

    assertThat(key).isEqualTo("version:sales.orders-value:12");
    assertThat(ContractKeys.parseVersion(key))
        .contains(new ContractKeys.VersionKey("sales.orders-value", 12));
  }

  @Test
  void shouldParseASubjectThatContainsColons() {
    assertThat(ContractKeys.parseVersion("version:sales.a:b:3"))
        .contains(new ContractKeys.VersionKey("sales.a:b", 3));
  }

  @Test
  void shouldRefuseKeysThatAreNotVersionKeys() {
    assertThat(ContractKeys.parseVersion("config:sales.orders-value")).isEmpty();
    assertThat(ContractKeys.parseVersion("version:sales.orders-value:")).isEmpty();
    assertThat(ContractKeys.parseVersion("version:sales.orders-value:x1")).isEmpty();
    assertThat(ContractKeys.parseVersion("version:sales.orders-value:0")).isEmpty();
    assertThat(ContractKeys.parseVersion("version:sales.orders-value:99999999999")).isEmpty();
    assertThat(ContractKeys.parseVersion("version::1")).isEmpty();
    assertThat(ContractKeys.parseVersion(null)).isEmpty();
  }

  @Test
  void shouldWriteAndParseConfigKeys() {
    assertThat(ContractKeys.config("sales.orders-value")).isEqualTo("config:sales.orders-value");
    assertThat(ContractKeys.config(null)).isEqualTo(ContractKeys.GLOBAL_CONFIG);
    assertThat(ContractKeys.parseConfig("config:")).contains("");
    assertThat(ContractKeys.parseConfig("version:x:1")).isEmpty();
  }
}
