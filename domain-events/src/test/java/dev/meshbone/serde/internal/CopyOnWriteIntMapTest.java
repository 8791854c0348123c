package dev.meshbone.serde.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CopyOnWriteIntMapTest {

  @Test
  void shouldKeepEveryKeyThroughGrowth() {
    var map = new CopyOnWriteIntMap<String>();

    for (int i = -500; i < 500; i++) {
      map.put(i * 7919, "v" + i);
    }

    assertThat(map.size()).isEqualTo(1000);
    for (int i = -500; i < 500; i++) {
      assertThat(map.get(i * 7919)).isEqualTo("v" + i);
    }
    assertThat(map.get(1)).isNull();
  }

  @Test
  void shouldReplaceAValue() {
    var map = new CopyOnWriteIntMap<String>();
    map.put(5, "a");

    map.put(5, "b");

    assertThat(map.get(5)).isEqualTo("b");
    assertThat(map.size()).isEqualTo(1);
  }

  @Test
  void shouldForgetEverythingOnClear() {
    var map = new CopyOnWriteIntMap<String>();
    map.put(5, "a");

    map.clear();

    assertThat(map.get(5)).isNull();
    assertThat(map.size()).isZero();
  }
}
