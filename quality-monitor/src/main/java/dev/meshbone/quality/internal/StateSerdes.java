package dev.meshbone.quality.internal;

import dev.meshbone.events.ProductHealth;
import dev.meshbone.quality.state.MonitorState;
import dev.meshbone.serde.FramedList;
import dev.meshbone.serde.MeshEventSerde;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Serdes of quality-monitor's state stores. */
public final class StateSerdes {
  static final String STATE_PACKAGE = "dev.meshbone.quality.state";
  private static volatile boolean trusted;

  private StateSerdes() {}

  /** The monitor's per-product state, in Avro single-object encoding like the mesh's events. */
  public static Serde<MonitorState> monitorState() {
    trustStatePackage();
    return MeshEventSerde.of(MonitorState.class);
  }

  /** A product's recent health changes, newest last. */
  public static Serde<List<ProductHealth>> history() {
    return new HistorySerde();
  }

  /**
   * Avro 1.12.2 instantiates only classes of trusted packages (docs/stack.md); the state classes
   * are ours, so trust their package, and nothing else, beside what is trusted already.
   */
  static void trustStatePackage() {
    if (trusted) {
      return;
    }
    synchronized (StateSerdes.class) {
      if (!trusted) {
        ClassSecurityValidator.setGlobal(
            ClassSecurityValidator.composite(
                ClassSecurityValidator.getGlobal(),
                c -> c.getName().startsWith(STATE_PACKAGE + ".")));
        trusted = true;
      }
    }
  }

  /** A count, then each health as its length and its single-object bytes. */
  private static final class HistorySerde
      implements Serde<List<ProductHealth>>,
          Serializer<List<ProductHealth>>,
          Deserializer<List<ProductHealth>> {
    private final MeshEventSerde<ProductHealth> health = MeshEventSerde.of(ProductHealth.class);

    @Override
    public byte[] serialize(String topic, List<ProductHealth> data) {
      if (data == null) {
        return null;
      }
      var parts = new ArrayList<byte[]>(data.size());
      for (ProductHealth h : data) {
        parts.add(health.serialize(topic, h));
      }
      return FramedList.encode(parts);
    }

    @Override
    public List<ProductHealth> deserialize(String topic, byte[] data) {
      if (data == null) {
        return null;
      }
      try {
        var list = new ArrayList<ProductHealth>();
        for (byte[] b : FramedList.decode(data)) {
          list.add(health.deserialize(topic, b));
        }
        return list;
      } catch (RuntimeException e) {
        throw new SerializationException("cannot decode a health history: " + e.getMessage(), e);
      }
    }

    @Override
    public Serializer<List<ProductHealth>> serializer() {
      return this;
    }

    @Override
    public Deserializer<List<ProductHealth>> deserializer() {
      return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public void close() {}
  }
}
