package dev.meshbone.validator.records;

import dev.meshbone.events.ProductStats;
import dev.meshbone.topics.ProductId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Per-product counts of checked records not yet handed on to the statistics: one for each stream
 * thread when {@link StatsCommits} hooks the thread's producer (all the thread's tasks add to it,
 * and its producer sends it in the transaction it commits), else one per stream task.
 *
 * <p>Counted and drained on one stream thread: not thread-safe for counting. {@link #cell}, {@link
 * #drain} and {@link #discard} lock, as a stream thread's replacement discards the counts of its
 * dead predecessor from another thread.
 */
final class StatsCounts {
  private static final RejectReason[] REASONS = RejectReason.values();

  private final Map<ProductId, Cell> cells = new HashMap<>();
  // The cells with counts since the last drain: a drain costs the products with new records, not
  // every product the thread has seen.
  private final List<Cell> changed = new ArrayList<>();

  /** One product's counts; the record processor keeps it beside its route and adds to it. */
  static final class Cell {
    final ProductId product;
    private final List<Cell> dirtyCells;
    boolean dirty;
    long valid;
    final long[] invalid = new long[REASONS.length];
    long lastRecordAt = Long.MIN_VALUE;
    long lastValidAt = Long.MIN_VALUE;

    Cell(ProductId product, List<Cell> dirtyCells) {
      this.product = product;
      this.dirtyCells = dirtyCells;
    }

    private void markDirty() {
      dirty = true;
      dirtyCells.add(this);
    }

    void valid(long timestamp) {
      if (!dirty) {
        markDirty();
      }
      valid++;
      if (timestamp > lastRecordAt) {
        lastRecordAt = timestamp;
      }
      if (timestamp > lastValidAt) {
        lastValidAt = timestamp;
      }
    }

    void invalid(RejectReason reason, long timestamp) {
      if (!dirty) {
        markDirty();
      }
      invalid[reason.ordinal()]++;
      if (timestamp > lastRecordAt) {
        lastRecordAt = timestamp;
      }
    }

    private void reset() {
      dirty = false;
      valid = 0;
      Arrays.fill(invalid, 0);
      lastRecordAt = Long.MIN_VALUE;
      lastValidAt = Long.MIN_VALUE;
    }
  }

  /** The product's counts, made on first use and kept (reset at each drain). */
  synchronized Cell cell(ProductId product) {
    return cells.computeIfAbsent(product, p -> new Cell(p, changed));
  }

  /**
   * Hands each product with records since the last drain its counts as a {@link ProductStats} delta
   * stamped {@code now}, and starts them again.
   */
  synchronized void drain(long now, BiConsumer<ProductId, ProductStats> out) {
    for (Cell cell : changed) {
      out.accept(cell.product, delta(cell, now));
      cell.reset();
    }
    changed.clear();
  }

  /** Forgets every count since the last drain: their records were not committed. */
  synchronized void discard() {
    for (Cell cell : changed) {
      cell.reset();
    }
    changed.clear();
  }

  private static ProductStats delta(Cell cell, long now) {
    long invalid = 0;
    Map<String, Long> byReason = new LinkedHashMap<>();
    for (int i = 0; i < REASONS.length; i++) {
      if (cell.invalid[i] > 0) {
        byReason.put(REASONS[i].name(), cell.invalid[i]);
        invalid += cell.invalid[i];
      }
    }
    return ProductStats.newBuilder()
        .setProductId(cell.product.toString())
        .setValid(cell.valid)
        .setInvalid(invalid)
        .setInvalidByReason(byReason)
        .setLastRecordAt(instant(cell.lastRecordAt))
        .setLastValidAt(instant(cell.lastValidAt))
        .setUpdatedAt(Instant.ofEpochMilli(now))
        .build();
  }

  private static Instant instant(long millis) {
    return millis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(millis);
  }
}
