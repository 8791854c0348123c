package dev.meshbone.validator.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class LifecycleStateSerdeTest {
  private final LifecycleStateSerde serde = new LifecycleStateSerde();

  private LifecycleState state() {
    var created = Events.created(Events.PRODUCT).build();
    return LifecycleState.accept(null, created, 10);
  }

  @Test
  void shouldRoundTripAState() {
    var state = LifecycleState.accept(state(), Events.updated(Events.PRODUCT).build(), 10);

    byte[] bytes = serde.serializer().serialize("t", state);

    assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(state);
  }

  @Test
  void shouldRememberOnlyTheMostRecentEventIds() {
    LifecycleState state = state();
    String last = null;
    for (int i = 0; i < 5; i++) {
      var update = Events.updated(Events.PRODUCT).build();
      last = update.getEventId();
      state = LifecycleState.accept(state, update, 3);
    }

    assertThat(state.acceptedEventIds()).hasSize(3).endsWith(last);
    assertThat(state.current().getVersion()).isEqualTo(6);
  }

  @Test
  void shouldFailOnATruncatedStateRatherThanGuess() {
    byte[] bytes = serde.serializer().serialize("t", state());

    assertThatThrownBy(
            () -> serde.deserializer().deserialize("t", Arrays.copyOf(bytes, bytes.length - 3)))
        .isInstanceOf(SerializationException.class);
  }

  @Test
  void shouldFailOnAnUnknownFormat() {
    byte[] bytes = serde.serializer().serialize("t", state());
    bytes[0] = 9;

    assertThatThrownBy(() -> serde.deserializer().deserialize("t", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("format 9");
  }

  @Test
  void shouldKeepNullsNull() {
    assertThat(serde.serializer().serialize("t", null)).isNull();
    assertThat(serde.deserializer().deserialize("t", null)).isNull();
    assertThat(new LifecycleState(state().current(), List.of()).acceptedEventIds()).isEmpty();
  }
}
