package dev.meshbone.validator.control;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.serde.MeshEventSerde;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serde of {@link LifecycleState} in the lifecycle store and its changelog: a format byte
 * ({@value #FORMAT}), the number of remembered event ids, each as a length-prefixed UTF-8 string,
 * then the current product in the mesh's {@link MeshEventSerde single-object encoding} (so it
 * evolves with the {@code DataProductEvent} contract the way {@code mesh.products} does).
 *
 * <p>A value that does not decode is a corrupt store, not bad input: it throws, and the task fails
 * rather than deciding a product's lifecycle from a guess.
 */
final class LifecycleStateSerde implements Serde<LifecycleState> {
  static final byte FORMAT = 1;

  private final MeshEventSerde<DataProductEvent> events = MeshEventSerde.of(DataProductEvent.class);

  @Override
  public Serializer<LifecycleState> serializer() {
    return (topic, state) -> state == null ? null : write(state);
  }

  @Override
  public Deserializer<LifecycleState> deserializer() {
    return (topic, bytes) -> bytes == null ? null : read(topic, bytes);
  }

  private byte[] write(LifecycleState state) {
    try {
      var bytes = new ByteArrayOutputStream(512);
      var out = new DataOutputStream(bytes);
      out.writeByte(FORMAT);
      out.writeInt(state.acceptedEventIds().size());
      for (String id : state.acceptedEventIds()) {
        byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
      }
      byte[] current = events.serialize(null, state.current());
      out.writeInt(current.length);
      out.write(current);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
  }

  private LifecycleState read(String topic, byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      byte format = in.get();
      if (format != FORMAT) {
        throw new SerializationException(
            "lifecycle state in " + topic + " has format " + format + ", expected " + FORMAT);
      }
      int count = in.getInt();
      if (count < 0 || count > in.remaining() / 4) {
        throw new SerializationException("lifecycle state in " + topic + ": bad id count " + count);
      }
      List<String> ids = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        ids.add(new String(slice(in), StandardCharsets.UTF_8));
      }
      DataProductEvent current = events.deserialize(topic, slice(in));
      if (in.hasRemaining()) {
        throw new SerializationException(
            "lifecycle state in " + topic + ": " + in.remaining() + " trailing bytes");
      }
      return new LifecycleState(current, ids);
    } catch (BufferUnderflowException | IllegalArgumentException | NullPointerException e) {
      throw new SerializationException("lifecycle state in " + topic + " is truncated", e);
    }
  }

  private static byte[] slice(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new BufferUnderflowException();
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    return bytes;
  }
}
