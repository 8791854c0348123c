package dev.meshbone.client;

import dev.meshbone.events.QualityDimension;
import java.time.Instant;
import java.util.Objects;

/**
 * One result of one quality check of a product, as its owner reports it: the check's stable name,
 * the quality dimension, whether it passed, what it measured against which threshold, how many
 * records it looked at, and when. quality-monitor turns these into the product's pass rate and
 * health against its service levels.
 *
 * <p>Built with {@link #passed(String)} or {@link #failed(String)}; immutable.
 */
public final class QualityResult {
  private final String checkName;
  private final boolean passed;
  private final QualityDimension dimension;
  private final Double measuredValue;
  private final Double threshold;
  private final Long recordCount;
  private final Instant occurredAt;
  private final String message;
  private final String eventId;

  private QualityResult(Builder b) {
    this.checkName = b.checkName;
    this.passed = b.passed;
    this.dimension = b.dimension;
    this.measuredValue = b.measuredValue;
    this.threshold = b.threshold;
    this.recordCount = b.recordCount;
    this.occurredAt = b.occurredAt;
    this.message = b.message;
    this.eventId = b.eventId;
  }

  /** A passing result of the check named {@code checkName}, e.g. {@code "site-not-null"}. */
  public static Builder passed(String checkName) {
    return new Builder(checkName, true);
  }

  /** A failing result of the check named {@code checkName}. */
  public static Builder failed(String checkName) {
    return new Builder(checkName, false);
  }

  /** A result that passed when {@code passed} is true. */
  public static Builder of(String checkName, boolean passed) {
    return new Builder(checkName, passed);
  }

  public String checkName() {
    return checkName;
  }

  public boolean passed() {
    return passed;
  }

  public QualityDimension dimension() {
    return dimension;
  }

  public Double measuredValue() {
    return measuredValue;
  }

  public Double threshold() {
    return threshold;
  }

  public Long recordCount() {
    return recordCount;
  }

  /** When the checked data was produced or the check ran; null means now. */
  public Instant occurredAt() {
    return occurredAt;
  }

  public String message() {
    return message;
  }

  /** The event's id when the caller chose one (for its own retries), else null (one is made). */
  public String eventId() {
    return eventId;
  }

  /** Builds a {@link QualityResult}. */
  public static final class Builder {
    private final String checkName;
    private final boolean passed;
    private QualityDimension dimension = QualityDimension.OTHER;
    private Double measuredValue;
    private Double threshold;
    private Long recordCount;
    private Instant occurredAt;
    private String message;
    private String eventId;

    private Builder(String checkName, boolean passed) {
      if (checkName == null || checkName.isBlank()) {
        throw new IllegalArgumentException("a quality result needs the check's name");
      }
      this.checkName = checkName;
      this.passed = passed;
    }

    public Builder dimension(QualityDimension dimension) {
      this.dimension = Objects.requireNonNull(dimension, "dimension");
      return this;
    }

    /** What the check measured and the threshold it compared it with. */
    public Builder measured(double value, double threshold) {
      this.measuredValue = value;
      this.threshold = threshold;
      return this;
    }

    public Builder measured(double value) {
      this.measuredValue = value;
      return this;
    }

    public Builder recordCount(long count) {
      this.recordCount = count;
      return this;
    }

    public Builder occurredAt(Instant at) {
      this.occurredAt = at;
      return this;
    }

    public Builder message(String message) {
      this.message = message;
      return this;
    }

    /** Names the event, so a retry of this very result is recognised and dropped. */
    public Builder eventId(String eventId) {
      this.eventId = eventId;
      return this;
    }

    public QualityResult build() {
      return new QualityResult(this);
    }
  }
}
