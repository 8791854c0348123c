package dev.meshbone.registry.products.catalog;

import dev.meshbone.events.HealthState;
import dev.meshbone.events.ProductHealth;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/**
 * A product's recent health, oldest first: the value of {@link CatalogStores#HEALTH_TRAIL_STORE},
 * drawn as the console's chart. quality-monitor writes a product's health whenever a figure moves,
 * which under steady traffic is every evaluation; the trail keeps the latest evaluation of each
 * {@link #SPACING} step of the clock, and within a step of each state the product passed through
 * (so the last point is always the current health), up to {@link #LIMIT} points: about a quarter of
 * an hour.
 */
public record HealthTrail(List<Point> points) {
  /** The step of the clock that keeps one point per state. */
  public static final Duration SPACING = Duration.ofSeconds(10);

  /** How many points a product keeps; older ones are dropped. */
  public static final int LIMIT = 90;

  public static final HealthTrail EMPTY = new HealthTrail(List.of());

  /**
   * One evaluation's figures; a figure quality-monitor did not judge is {@code null}.
   *
   * @param at when it was evaluated, epoch milliseconds
   */
  public record Point(
      long at, HealthState state, Double passRate, Double rejectionRate, Long volume) {

    static Point of(ProductHealth h) {
      return new Point(
          h.getEvaluatedAt().toEpochMilli(),
          h.getState(),
          h.getPassRate(),
          h.getRejectionRate(),
          h.getVolume());
    }
  }

  public HealthTrail {
    points = List.copyOf(points);
  }

  /** This trail with {@code health} as its newest point. An older evaluation is ignored. */
  public HealthTrail add(ProductHealth health) {
    Point point = Point.of(health);
    var list = new ArrayList<>(points);
    Point last = list.isEmpty() ? null : list.get(list.size() - 1);
    if (last != null && point.at() < last.at()) {
      return this;
    }
    if (last != null
        && last.state() == point.state()
        && last.at() / SPACING.toMillis() == point.at() / SPACING.toMillis()) {
      // The same step of the same state: the newer evaluation stands for it.
      list.set(list.size() - 1, point);
    } else {
      list.add(point);
    }
    int drop = list.size() - LIMIT;
    return new HealthTrail(drop > 0 ? list.subList(drop, list.size()) : list);
  }

  public static final Serde<HealthTrail> SERDE =
      Codecs.serde(
          "health trail",
          new Codecs.Codec<>() {
            @Override
            public void write(DataOutputStream out, HealthTrail value) throws IOException {
              out.writeInt(value.points().size());
              for (Point p : value.points()) {
                out.writeLong(p.at());
                out.writeUTF(p.state().name());
                writeNullableDouble(out, p.passRate());
                writeNullableDouble(out, p.rejectionRate());
                out.writeBoolean(p.volume() != null);
                if (p.volume() != null) {
                  out.writeLong(p.volume());
                }
              }
            }

            @Override
            public HealthTrail read(DataInputStream in) throws IOException {
              int n = in.readInt();
              if (n < 0 || n > 100_000) {
                throw new IOException("implausible point count " + n);
              }
              var list = new ArrayList<Point>(n);
              for (int i = 0; i < n; i++) {
                long at = in.readLong();
                HealthState state = HealthState.valueOf(in.readUTF());
                Double passRate = readNullableDouble(in);
                Double rejectionRate = readNullableDouble(in);
                Long volume = in.readBoolean() ? in.readLong() : null;
                list.add(new Point(at, state, passRate, rejectionRate, volume));
              }
              return new HealthTrail(list);
            }
          });

  private static void writeNullableDouble(DataOutputStream out, Double value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeDouble(value);
    }
  }

  private static Double readNullableDouble(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readDouble() : null;
  }
}
