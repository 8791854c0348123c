package dev.meshbone.validator.records;

import dev.meshbone.events.ProductStats;
import dev.meshbone.topics.ProductId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Record validation's per-product counts as Micrometer metrics, served at {@code /prometheus}:
 *
 * <ul>
 *   <li>{@code meshbone_validator_records_total{product, outcome="valid"|"invalid", reason}}:
 *       records checked ({@code reason="NONE"} for valid ones, else a {@link RejectReason})
 *   <li>{@code meshbone_validator_last_record_timestamp_seconds{product}} and {@code
 *       meshbone_validator_last_valid_timestamp_seconds{product}}: the record timestamp of the
 *       latest record, and of the latest valid one
 * </ul>
 *
 * <p>Updated from the counts each stream thread commits (at each commit, never per record), so they
 * count the records this instance committed since it started.
 */
@Singleton
public class ValidationMetrics implements ValidationListener {
  static final String RECORDS = "meshbone.validator.records";
  static final String LAST_RECORD = "meshbone.validator.last.record.timestamp";
  static final String LAST_VALID = "meshbone.validator.last.valid.timestamp";

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lastRecord = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lastValid = new ConcurrentHashMap<>();

  public ValidationMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void onCounts(ProductId product, ProductStats delta) {
    String id = product.toString();
    if (delta.getValid() > 0) {
      counter(id, "valid", "NONE").increment(delta.getValid());
    }
    delta.getInvalidByReason().forEach((reason, n) -> counter(id, "invalid", reason).increment(n));
    if (delta.getLastRecordAt() != null) {
      gauge(
              lastRecord,
              LAST_RECORD,
              "The record timestamp of the product's latest ingest record",
              id)
          .accumulateAndGet(delta.getLastRecordAt().toEpochMilli(), Math::max);
    }
    if (delta.getLastValidAt() != null) {
      gauge(lastValid, LAST_VALID, "The record timestamp of the product's latest valid record", id)
          .accumulateAndGet(delta.getLastValidAt().toEpochMilli(), Math::max);
    }
  }

  private Counter counter(String product, String outcome, String reason) {
    return counters.computeIfAbsent(
        product + '\u0000' + reason,
        k ->
            Counter.builder(RECORDS)
                .description("Ingest records checked by the validator, by product and outcome")
                .tag("product", product)
                .tag("outcome", outcome)
                .tag("reason", reason)
                .register(registry));
  }

  private AtomicLong gauge(Map<String, AtomicLong> map, String name, String doc, String product) {
    return map.computeIfAbsent(
        product,
        p -> {
          var millis = new AtomicLong();
          Gauge.builder(name, millis, m -> m.get() / 1000.0)
              .description(doc)
              .baseUnit("seconds")
              .tag("product", p)
              .register(registry);
          return millis;
        });
  }
}
