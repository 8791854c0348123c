package dev.meshbone.quality.internal;

import dev.meshbone.quality.QualitySettings;
import dev.meshbone.quality.state.MonitorState;
import dev.meshbone.quality.state.Slice;
import dev.meshbone.quality.state.Slos;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/**
 * How the SLO windows are computed. All windows are in event time and made of slices one {@code
 * advance} long (the {@link Slice}s of a product's {@link MonitorState}), so every window's figures
 * are sums over slices.
 *
 * <ul>
 *   <li><b>The current window</b> (pass rate, rejection rate): the hopping window of size {@code
 *       window} that contains the stream time and started earliest, i.e. it ends at the next
 *       multiple of {@code advance}.
 *   <li><b>The volume window</b>: volume is a count, which a window still filling up would
 *       understate, so it is taken over the last complete stretch instead: it ends at the start of
 *       the current slice and spans the product's {@code volumeWindowMs} (rounded up to whole
 *       advances), or {@code window} when the product declares none.
 *   <li><b>Late events</b>: an event is too late once every window it belongs to ended at least
 *       {@code grace} before the stream time.
 * </ul>
 *
 * Stream time is the largest event time the task accepted ({@link Long#MIN_VALUE} before any).
 */
public final class SloWindows {
  private final long advance;
  private final long window;
  private final long grace;

  public SloWindows(QualitySettings settings) {
    this.advance = settings.advance().toMillis();
    this.window = settings.window().toMillis();
    this.grace = settings.grace().toMillis();
  }

  /**
   * The windows at one stream time.
   *
   * @param start start of the current window (inclusive)
   * @param end end of the current window (exclusive)
   * @param volumeStart start of the volume window (inclusive)
   * @param volumeEnd end of the volume window (exclusive): the start of the current slice
   */
  public record Current(long start, long end, long volumeStart, long volumeEnd) {
    boolean inWindow(long sliceStart) {
      return sliceStart >= start && sliceStart < end;
    }

    boolean inVolumeWindow(long sliceStart) {
      return sliceStart >= volumeStart && sliceStart < volumeEnd;
    }
  }

  /** The windows at {@code streamTime}; empty before the task has seen any event. */
  public Optional<Current> at(Slos slos, long streamTime) {
    if (streamTime == Long.MIN_VALUE) {
      return Optional.empty();
    }
    long end = windowEnd(streamTime);
    long volumeEnd = sliceStart(streamTime);
    return Optional.of(new Current(end - window, end, volumeEnd - volumeSpan(slos), volumeEnd));
  }

  /** The start of the slice that holds event time {@code t}. */
  public long sliceStart(long t) {
    return Math.floorDiv(t, advance) * advance;
  }

  /** The end of the current window at stream time {@code streamTime}. */
  public long windowEnd(long streamTime) {
    return sliceStart(streamTime) + advance;
  }

  /** Whether an event at {@code t} is too late for every window it belongs to. */
  public boolean isLate(long t, long streamTime) {
    return streamTime != Long.MIN_VALUE && sliceStart(t) + window + grace <= streamTime;
  }

  /** How far back slices are kept for this product at stream time {@code streamTime}. */
  public long retainFrom(Slos slos, long streamTime) {
    long span = Math.max(window, volumeSpan(slos));
    return windowEnd(streamTime) - span - grace - advance;
  }

  /** The length of the volume window: {@code volumeWindowMs} in whole advances, else the window. */
  public long volumeSpan(Slos slos) {
    Long v = slos.getVolumeWindowMs();
    if (v == null || v <= 0) {
      return window;
    }
    return Math.max(advance, ((v + advance - 1) / advance) * advance);
  }

  /**
   * The slice of {@code state} holding event time {@code t}, made if missing; drops the slices no
   * window needs any more at stream time {@code max(t, streamTime)}. Slices stay in time order.
   */
  public Slice slice(MonitorState state, long t, long streamTime) {
    long start = sliceStart(t);
    List<Slice> slices = state.getSlices();
    if (!(slices instanceof ArrayList)) {
      // Decoded arrays are Avro's, which cannot remove elements.
      slices = new ArrayList<>(slices);
      state.setSlices(slices);
    }
    long keepFrom = retainFrom(state.getSlos(), Math.max(t, streamTime));
    slices.removeIf(s -> s.getStart() < keepFrom);
    for (Slice s : slices) {
      if (s.getStart() == start) {
        return s;
      }
    }
    Slice slice = Slice.newBuilder().setStart(start).setChecks(new HashMap<>()).build();
    int i = 0;
    while (i < slices.size() && slices.get(i).getStart() < start) {
      i++;
    }
    slices.add(i, slice);
    return slice;
  }
}
