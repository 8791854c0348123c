package dev.meshbone.validator.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When new ingest topics are picked up: at once after a calm, together in a burst. */
class PickupScheduleTest {
  private static final long MS = 1_000_000L;
  private static final long START = 1_000_000 * MS;

  private final PickupSchedule schedule = new PickupSchedule(Duration.ofSeconds(1), START);

  @Test
  void aTopicAfterACalmIsPickedUpAtOnce() {
    assertThat(schedule.due(START)).isZero();
    schedule.seen(1, START + 10 * MS);
    assertThat(schedule.due(START + 10 * MS)).isEqualTo(1);
    assertThat(schedule.due(START + 20 * MS)).as("nothing waits any more").isZero();
  }

  @Test
  void aBurstWaitsForHalfAnIntervalWithoutNewTopics() {
    schedule.seen(1, START);
    assertThat(schedule.due(START)).isEqualTo(1);
    // More products declared one after the other: no pickup within the interval of the last one,
    // and none while new topics keep appearing less than half an interval apart.
    long t = START;
    for (int i = 0; i < 8; i++) {
      t += 300 * MS;
      schedule.seen(2, t);
      assertThat(schedule.due(t)).as("at %d ms", (t - START) / MS).isZero();
    }
    assertThat(schedule.due(t + 499 * MS)).isZero();
    assertThat(schedule.due(t + 500 * MS)).as("quiet for half an interval").isEqualTo(16);
  }

  @Test
  void anEndlessBurstIsPickedUpAtLeastEveryFiveIntervals() {
    schedule.seen(1, START);
    assertThat(schedule.due(START)).isEqualTo(1);
    long first = START + 100 * MS;
    int picked = 0;
    long pickedAt = 0;
    for (long t = first; t <= first + 6_000 * MS && picked == 0; t += 100 * MS) {
      schedule.seen(1, t);
      picked = schedule.due(t);
      pickedAt = t;
    }
    assertThat(picked).isEqualTo(51);
    assertThat(pickedAt - first).isEqualTo(PickupSchedule.BURST_PICKUPS_EVERY * 1_000 * MS);
  }

  @Test
  void neverTwoPickupsWithinAnInterval() {
    schedule.seen(1, START);
    assertThat(schedule.due(START)).isEqualTo(1);
    // Calm again only after a whole interval without a new topic: this one is too soon.
    schedule.seen(1, START + 900 * MS);
    assertThat(schedule.due(START + 999 * MS)).isZero();
    assertThat(schedule.due(START + 1_400 * MS)).as("quiet for half an interval").isEqualTo(1);
  }

  @Test
  void aTopicAfterACalmStillWaitsForTheIntervalSinceTheLastPickup() {
    schedule.seen(1, START);
    assertThat(schedule.due(START)).isEqualTo(1);
    schedule.seen(1, START + 500 * MS);
    assertThat(schedule.due(START + 999 * MS)).isZero();
    assertThat(schedule.due(START + 1_000 * MS)).isEqualTo(1);
    // The last new topic came 1.05 s ago (a calm), the last pickup only 0.05 s ago.
    schedule.seen(1, START + 1_550 * MS);
    assertThat(schedule.due(START + 1_550 * MS)).isZero();
    assertThat(schedule.due(START + 2_000 * MS)).isEqualTo(1);
  }

  @Test
  void zeroIntervalTurnsPromptPickupOff() {
    var off = new PickupSchedule(Duration.ZERO, START);
    off.seen(3, START);
    assertThat(off.due(START + 10_000 * MS)).isZero();
  }

  @Test
  void noNewTopicNoPickup() {
    schedule.seen(0, START);
    assertThat(schedule.due(START + 10_000 * MS)).isZero();
  }
}
