package dev.meshbone.quality;

import static dev.meshbone.quality.MonitorDriver.T0;
import static dev.meshbone.quality.MonitorDriver.check;
import static dev.meshbone.quality.MonitorDriver.slos;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.events.AlertState;
import dev.meshbone.events.HealthState;
import dev.meshbone.events.IssueSeverity;
import dev.meshbone.events.IssueState;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.ProductHealth;
import dev.meshbone.events.QualityAlert;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.serde.MeshEventSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QualityTopologyTest {
  private static final String P = "clinical-trials.enrollments";

  private MonitorDriver m = new MonitorDriver();

  @AfterEach
  void close() {
    m.close();
  }

  // ---- window math ----

  @Test
  void shouldComputePassRateOverTheCurrentHoppingWindow() {
    m.product(P, slos().setMinPassRate(0.5).build());

    m.pass(P, ofMinutes(-10)); // in no current window once time has moved on
    m.pass(P, ofMinutes(-3));
    m.fail(P, ofMinutes(-2));
    m.pass(P, ofMinutes(-1));
    m.pass(P, ofSeconds(-30));

    // Stream time T0-30s: the current window is [T0-5m, T0).
    ProductHealth health = m.lastStatus(P);
    assertThat(health.getPassRate()).isEqualTo(0.75);
    assertThat(health.getWindowStart()).isEqualTo(T0.minus(ofMinutes(5)));
    assertThat(health.getWindowEnd()).isEqualTo(T0);
    assertThat(health.getState()).isEqualTo(HealthState.HEALTHY);
  }

  @Test
  void shouldHopTheWindowByTheAdvance() {
    m.product(P, slos().setMinPassRate(0.5).build());
    m.fail(P, ofMinutes(-5).minusSeconds(1)); // slice [T0-6m, T0-5m)
    m.pass(P, ofSeconds(-10));
    assertThat(m.lastStatus(P).getPassRate()).isEqualTo(1.0);

    // Stream time moves into the next slice: the window is [T0-4m, T0+1m).
    m.fail(P, ofSeconds(20));
    ProductHealth health = m.lastStatus(P);
    assertThat(health.getWindowStart()).isEqualTo(T0.minus(ofMinutes(4)));
    assertThat(health.getWindowEnd()).isEqualTo(T0.plus(ofMinutes(1)));
    assertThat(health.getPassRate()).isEqualTo(0.5);
  }

  @Test
  void shouldComputePassRatePerCheck() {
    m.product(P, slos().setMinPassRate(0.6).build());
    m.event(check(P, "site-not-null", true, ofMinutes(-2)));
    m.event(check(P, "site-not-null", true, ofMinutes(-1)));
    m.event(check(P, "dose-in-range", false, ofMinutes(-1)));
    m.event(check(P, "dose-in-range", true, ofSeconds(-5)));

    ProductHealth health = m.lastStatus(P);
    assertThat(health.getPassRateByCheck())
        .containsExactlyInAnyOrderEntriesOf(Map.of("site-not-null", 1.0, "dose-in-range", 0.5));
    assertThat(health.getPassRate()).isEqualTo(0.75);
    // Overall the SLO holds, but one check is below it.
    assertThat(health.getState()).isEqualTo(HealthState.DEGRADED);
    assertThat(health.getReasons())
        .contains("check 'dose-in-range' passRate 0.5 < minPassRate 0.6");
  }

  // ---- grace and late events ----

  @Test
  void shouldCountAnOutOfOrderEventInsideTheCurrentWindow() {
    m.product(P, slos().setMinPassRate(0.5).build());
    m.pass(P, ofSeconds(-10));
    m.fail(P, ofMinutes(-3)); // older than stream time, but its window is open

    assertThat(m.lastStatus(P).getPassRate()).isEqualTo(0.5);
    assertThat(m.listener.totalRefusals()).isZero();
  }

  @Test
  void shouldAcceptALateEventWithinTheGracePeriod() {
    m.product(P, slos().setMinPassRate(0.5).build());
    m.pass(P, ofSeconds(-10)); // stream time T0-10s
    // Slice [T0-6m, T0-5m): its last window [T0-6m, T0-1m) ended 50 s ago, within 1 m of grace.
    m.fail(P, ofMinutes(-6));

    assertThat(m.listener.refusals(Refusal.LATE)).isZero();
    assertThat(m.listener.accepted.get(m.topics.quality.name()).get()).isEqualTo(2);
  }

  @Test
  void shouldRefuseAnEventLaterThanTheGracePeriod() {
    m.product(P, slos().setMinPassRate(0.5).build());
    m.pass(P, ofSeconds(-10));
    // Slice [T0-7m, T0-6m): its last window ended at T0-2m, more than the grace before T0-10s.
    m.fail(P, ofMinutes(-7));

    assertThat(m.listener.refusals(Refusal.LATE)).isEqualTo(1);
    assertThat(m.lastStatus(P).getPassRate()).isEqualTo(1.0);
  }

  // ---- alerts and hysteresis ----

  @Test
  void shouldRaiseAnAlertAndBreachWhenPassRateFallsBelowTheMinimum() {
    m.product(P, slos().setMinPassRate(0.8).build());
    m.pass(P, ofMinutes(-2));
    m.fail(P, ofMinutes(-1));

    ProductHealth health = m.lastStatus(P);
    assertThat(health.getState()).isEqualTo(HealthState.BREACHED);
    assertThat(health.getReasons()).contains("passRate 0.5 < minPassRate 0.8");
    List<QualityAlert> alerts = m.alertRecords();
    assertThat(alerts).hasSize(1);
    QualityAlert alert = alerts.get(0);
    assertThat(alert.getState()).isEqualTo(AlertState.RAISED);
    assertThat(alert.getSlo()).isEqualTo("passRate");
    assertThat(alert.getObserved()).isEqualTo(0.5);
    assertThat(alert.getThreshold()).isEqualTo(0.8);
    assertThat(alert.getHealth()).isEqualTo(HealthState.BREACHED);
  }

  @Test
  void shouldKeepTheAlertRaisedWhilePassRateIsBackButWithinTheMargin() {
    m.product(P, slos().setMinPassRate(0.8).build());
    m.fail(P, ofMinutes(-3)); // 0/1: raised
    for (int i = 0; i < 4; i++) {
      m.pass(P, ofMinutes(-2)); // 4/5 = 0.8: met, but not 0.8 + 0.1
    }
    m.advanceWallClock(ofMinutes(1));

    assertThat(m.lastStatus(P).getPassRate()).isEqualTo(0.8);
    assertThat(m.lastStatus(P).getState()).isEqualTo(HealthState.BREACHED);
    assertThat(m.alertRecords())
        .extracting(QualityAlert::getState)
        .containsExactly(AlertState.RAISED);
  }

  @Test
  void shouldClearTheAlertOnlyAfterRecoveryHeldForClearAfter() {
    m.product(P, slos().setMinPassRate(0.8).build());
    m.fail(P, ofMinutes(-3));
    for (int i = 0; i < 9; i++) {
      m.pass(P, ofMinutes(-2)); // 9/10 = 0.9: met with margin
    }
    assertThat(m.alertRecords()).hasSize(1);

    m.advanceWallClock(ofSeconds(20)); // a punctuation at +10 s and +20 s: held 20 s of 30
    assertThat(m.alertRecords()).hasSize(1);
    m.advanceWallClock(ofSeconds(10)); // held 30 s

    List<QualityAlert> alerts = m.alertRecords();
    assertThat(alerts)
        .extracting(QualityAlert::getState)
        .containsExactly(AlertState.RAISED, AlertState.CLEARED);
    assertThat(alerts.get(1).getAlertId()).isEqualTo(alerts.get(0).getAlertId());
    assertThat(m.lastStatus(P).getState()).isEqualTo(HealthState.HEALTHY);
  }

  @Test
  void shouldRaiseOneAlertForAPassRateHoveringAroundItsThreshold() {
    m.product(P, slos().setMinPassRate(0.5).build());
    for (int i = 0; i < 10; i++) {
      m.pass(P, ofMinutes(-3));
      m.fail(P, ofMinutes(-3)); // 0.5: exactly at the minimum
    }
    // Below and back at the minimum, again and again: 0.476, 0.5, 0.478, 0.5, ...
    for (int i = 0; i < 6; i++) {
      m.fail(P, ofMinutes(-2));
      m.pass(P, ofMinutes(-2));
      m.advanceWallClock(ofSeconds(20));
    }

    assertThat(m.alertRecords())
        .extracting(QualityAlert::getState)
        .containsExactly(AlertState.RAISED);
    assertThat(m.lastStatus(P).getState()).isEqualTo(HealthState.BREACHED);
  }

  @Test
  void shouldWaitRaiseAfterBeforeRaising() {
    m.close();
    m = new MonitorDriver(raiseAfter(Duration.ofSeconds(20)));
    m.product(P, slos().setMinPassRate(0.8).build());
    m.fail(P, ofMinutes(-1));
    assertThat(m.alertRecords()).isEmpty();
    assertThat(m.lastStatus(P).getState()).isEqualTo(HealthState.DEGRADED);

    m.advanceWallClock(ofSeconds(20));

    assertThat(m.alertRecords())
        .extracting(QualityAlert::getState)
        .containsExactly(AlertState.RAISED);
    assertThat(m.lastStatus(P).getState()).isEqualTo(HealthState.BREACHED);
  }

  // ---- freshness ----

  @Test
  void shouldTurnStaleWhenSilentAsTheWallClockAdvances() {
    m.product(P, slos().setMaxStalenessMs(60_000L).build());
    m.pass(P, Duration.ZERO);
    assertThat(m.lastStatus(P).getState()).isEqualTo(HealthState.HEALTHY);

    m.advanceWallClock(ofSeconds(50));
    assertThat(m.lastStatus(P).getState()).isEqualTo(HealthState.HEALTHY);
    m.advanceWallClock(ofSeconds(20)); // no event at all; a punctuation finds it 70 s silent

    ProductHealth health = m.lastStatus(P);
    assertThat(health.getState()).isEqualTo(HealthState.STALE);
    assertThat(health.getLastUpdateAt()).isEqualTo(T0);
    assertThat(health.getStalenessMs()).isEqualTo(70_000L);
    assertThat(m.alertRecords())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getSlo()).isEqualTo("freshness");
              assertThat(a.getState()).isEqualTo(AlertState.RAISED);
              assertThat(a.getHealth()).isEqualTo(HealthState.STALE);
            });
  }

  @Test
  void shouldTurnStaleWhenAProductNeverHasASuccessfulUpdate() {
    m.product(P, slos().setMaxStalenessMs(60_000L).build());
    m.fail(P, ofSeconds(1));

    m.advanceWallClock(ofSeconds(70));

    assertThat(m.lastStatus(P).getState()).isEqualTo(HealthState.STALE);
    assertThat(m.lastStatus(P).getLastUpdateAt()).isNull();
  }

  @Test
  void shouldRecoverFromStaleOnceUpdatesHoldForClearAfter() {
    m.product(P, slos().setMaxStalenessMs(60_000L).build());
    m.pass(P, Duration.ZERO);
    m.advanceWallClock(ofSeconds(70));
    assertThat(m.lastStatus(P).getState()).isEqualTo(HealthState.STALE);

    m.pass(P, ofSeconds(70));
    assertThat(m.lastStatus(P).getState()).isEqualTo(HealthState.STALE);
    m.advanceWallClock(ofSeconds(30));

    assertThat(m.lastStatus(P).getState()).isEqualTo(HealthState.HEALTHY);
    assertThat(m.alertRecords())
        .extracting(QualityAlert::getState)
        .containsExactly(AlertState.RAISED, AlertState.CLEARED);
  }

  @Test
  void shouldCountTheValidatorsLastValidRecordAsASuccessfulUpdate() {
    m.product(P, slos().setMaxStalenessMs(60_000L).build());
    m.advanceWallClock(ofSeconds(50));
    m.stats(P, 10, 0, ofSeconds(50), ofSeconds(45));
    m.advanceWallClock(ofSeconds(50)); // 55 s after the last valid record

    ProductHealth health = m.lastStatus(P);
    assertThat(health.getState()).isEqualTo(HealthState.DEGRADED); // within 10% of the maximum
    assertThat(health.getLastUpdateAt()).isEqualTo(T0.plusSeconds(45));
  }

  // ---- volume and rejection rate ----

  @Test
  void shouldComputeRejectionRateFromTheDeltasOfTheValidatorsCounts() {
    m.product(P, slos().setMaxRejectionRate(0.1).build());
    m.stats(P, 90, 0, ofMinutes(-3), ofMinutes(-3));
    m.stats(P, 100, 10, ofMinutes(-2), ofMinutes(-2)); // 10 of 110 rejected in the window

    assertThat(m.lastStatus(P).getRejectionRate()).isEqualTo(0.0909);
    assertThat(m.lastStatus(P).getState()).isEqualTo(HealthState.DEGRADED);

    m.stats(P, 100, 30, ofMinutes(-1), ofMinutes(-2)); // 30 of 130

    assertThat(m.lastStatus(P).getRejectionRate()).isEqualTo(0.2308);
    assertThat(m.lastStatus(P).getState()).isEqualTo(HealthState.BREACHED);
    assertThat(m.alertRecords())
        .singleElement()
        .extracting(QualityAlert::getSlo)
        .isEqualTo("rejectionRate");
  }

  @Test
  void shouldBreachVolumeBelowTheDeclaredMinimumOnceAWholeWindowIsSeen() {
    m.product(P, slos().setMinVolume(100L).setVolumeWindowMs(120_000L).build());
    m.stats(P, 1000, 0, ofMinutes(-10), ofMinutes(-10));
    m.stats(P, 1050, 0, ofMinutes(-2), ofMinutes(-2));
    m.stats(P, 1060, 0, ofSeconds(-30), ofSeconds(-30));

    // The last complete 2 minutes, [T0-3m, T0-1m), hold 50 records.

    ProductHealth health = m.lastStatus(P);
    assertThat(health.getVolume()).isEqualTo(50L);
    assertThat(health.getState()).isEqualTo(HealthState.BREACHED);
    assertThat(health.getReasons()).contains("volume 50 < minVolume 100 in 120000 ms");
  }

  @Test
  void shouldNotJudgeVolumeBeforeAWholeVolumeWindowIsSeen() {
    m.product(P, slos().setMinVolume(100L).setVolumeWindowMs(120_000L).build());
    m.stats(P, 5, 0, ofSeconds(-30), ofSeconds(-30));

    assertThat(m.lastStatus(P).getState()).isEqualTo(HealthState.UNKNOWN);
    assertThat(m.alertRecords()).isEmpty();
  }

  @Test
  void shouldTakeVolumeFromTheChecksRecordCountsWithoutValidatorCounts() {
    m.product(P, slos().setMinVolume(100L).build());
    for (int minute = -9; minute <= -1; minute++) {
      m.event(check(P, "rows", true, ofMinutes(minute)).setRecordCount(30L));
      m.event(check(P, "rows-again", true, ofMinutes(minute)).setRecordCount(30L));
    }

    // The 5 complete minutes [T0-6m, T0-1m): the most records one check looked at.
    assertThat(m.lastStatus(P).getVolume()).isEqualTo(150L);
    assertThat(m.lastStatus(P).getState()).isEqualTo(HealthState.HEALTHY);
  }

  // ---- status on change, history, lifecycle ----

  @Test
  void shouldWriteStatusOnlyWhenItChanges() {
    m.product(P, slos().setMinPassRate(0.5).build());
    m.pass(P, ofMinutes(-3));
    m.pass(P, ofMinutes(-2));
    m.pass(P, ofMinutes(-1));
    m.advanceWallClock(ofMinutes(1));

    // UNKNOWN on creation, HEALTHY with the first event; nothing after.
    assertThat(m.statusRecords())
        .extracting(kv -> kv.value.getState())
        .containsExactly(HealthState.UNKNOWN, HealthState.HEALTHY);
  }

  @Test
  void shouldKeepTheHistoryOfStateChanges() {
    m.product(P, slos().setMinPassRate(0.8).build());
    m.pass(P, ofMinutes(-3));
    m.fail(P, ofMinutes(-2));
    m.fail(P, ofMinutes(-1));

    assertThat(m.history(P))
        .extracting(ProductHealth::getState)
        .containsExactly(HealthState.UNKNOWN, HealthState.HEALTHY, HealthState.BREACHED);
    assertThat(m.storedHealth(P).getPassRate()).isEqualTo(0.3333);
  }

  @Test
  void shouldBeUnknownWithoutServiceLevels() {
    m.product(P, slos().build());
    m.pass(P, ofMinutes(-1));

    assertThat(m.lastStatus(P).getState()).isEqualTo(HealthState.UNKNOWN);
    assertThat(m.lastStatus(P).getReasons()).containsExactly("no service levels declared");
  }

  @Test
  void shouldStopMonitoringARetiredProduct() {
    m.product(P, slos().setMinPassRate(0.8).build());
    m.fail(P, ofMinutes(-1));
    assertThat(m.alertRecords()).hasSize(1);

    m.product(P, null, LifecycleStatus.RETIRED);
    m.pass(P, ofSeconds(-30));

    assertThat(m.alertRecords())
        .extracting(QualityAlert::getState)
        .containsExactly(AlertState.RAISED, AlertState.CLEARED);
    var last = m.statusRecords().get(m.statusRecords().size() - 1);
    assertThat(last.key).isEqualTo(P);
    assertThat(last.value).isNull();
    assertThat(m.storedHealth(P)).isNull();
    assertThat(m.listener.refusals(Refusal.UNKNOWN_PRODUCT)).isEqualTo(1);
  }

  @Test
  void shouldGiveEachRaisedAlertItsOwnIdEvenWithinOneWallClockMillisecond() {
    var config = new QualityConfig();
    config.setClearAfter(Duration.ZERO);
    config.setPassRateMargin(0.1);
    m.close();
    m = new MonitorDriver(config.toSettings());
    m.product(P, slos().setMinPassRate(0.5).build());

    m.fail(P, ofSeconds(-50)); // raised
    m.pass(P, ofSeconds(-49));
    m.pass(P, ofSeconds(-48));
    m.pass(P, ofSeconds(-47)); // 0.75: cleared at once
    m.fail(P, ofSeconds(-46));
    m.fail(P, ofSeconds(-45)); // 3 of 6: still met
    m.fail(P, ofSeconds(-44)); // 3 of 7: raised again, at the same wall-clock instant

    List<QualityAlert> alerts = m.alertRecords();
    assertThat(alerts)
        .extracting(QualityAlert::getState)
        .containsExactly(AlertState.RAISED, AlertState.CLEARED, AlertState.RAISED);
    assertThat(alerts.get(1).getAlertId()).isEqualTo(alerts.get(0).getAlertId());
    assertThat(alerts.get(2).getAlertId()).isNotEqualTo(alerts.get(0).getAlertId());
  }

  // ---- the response SLO: issues acknowledged in time ----

  @Test
  void shouldBreachAndAlertWhenACriticalIssueWaitsLongerThanItsResponseSlo() {
    m.product(P, slos().build()); // no other SLO: the response SLO stands alone
    m.issue(P, "a1b2c3d4e5f6", IssueSeverity.CRITICAL, IssueState.OPEN, m.now());
    m.issue(P, "000000000001", IssueSeverity.LOW, IssueState.OPEN, m.now()); // no limit
    assertThat(m.lastStatus(P).getState()).isEqualTo(HealthState.UNKNOWN);

    m.advanceWallClock(ofMinutes(60)); // limit 2 h in these settings
    assertThat(m.alertRecords()).isEmpty();
    m.advanceWallClock(ofMinutes(61));

    ProductHealth health = m.lastStatus(P);
    assertThat(health.getState()).isEqualTo(HealthState.BREACHED);
    assertThat(health.getReasons())
        .singleElement()
        .asString()
        .startsWith("CRITICAL issue a1b2c3d4e5f6 unacknowledged for 72")
        .endsWith(" s > 7200 s");
    assertThat(m.alertRecords())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getSlo()).isEqualTo("response");
              assertThat(a.getState()).isEqualTo(AlertState.RAISED);
              assertThat(a.getThreshold()).isEqualTo(7_200_000.0);
            });
  }

  @Test
  void shouldClearTheResponseAlertOnceTheOwnerAcknowledgesAndClearAfterHeld() {
    m.product(P, slos().setMinPassRate(0.5).build());
    m.pass(P, ofMinutes(-1));
    Instant opened = m.now();
    m.issue(P, "a1b2c3d4e5f6", IssueSeverity.HIGH, IssueState.OPEN, opened);
    m.advanceWallClock(ofHours(5)); // HIGH: 4 h here
    assertThat(m.lastStatus(P).getState()).isEqualTo(HealthState.BREACHED);

    m.issue(P, "a1b2c3d4e5f6", IssueSeverity.HIGH, IssueState.ACKNOWLEDGED, opened);
    assertThat(m.lastStatus(P).getState()).isEqualTo(HealthState.BREACHED); // clear-after 30 s
    m.advanceWallClock(ofSeconds(40));

    assertThat(m.alertRecords())
        .extracting(QualityAlert::getSlo, QualityAlert::getState)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("response", AlertState.RAISED),
            org.assertj.core.groups.Tuple.tuple("response", AlertState.CLEARED));
    assertThat(m.lastStatus(P).getState()).isNotEqualTo(HealthState.BREACHED);
  }

  @Test
  void shouldCountAReopenedIssueFromItsReopeningAndIgnoreAnsweredOnes() {
    m.product(P, slos().build());
    Instant opened = m.now();
    m.issue(P, "a1b2c3d4e5f6", IssueSeverity.CRITICAL, IssueState.OPEN, opened);
    m.issue(P, "a1b2c3d4e5f6", IssueSeverity.CRITICAL, IssueState.RESOLVED, opened);
    m.advanceWallClock(ofHours(3));
    assertThat(m.alertRecords()).isEmpty();

    m.issue(P, "a1b2c3d4e5f6", IssueSeverity.CRITICAL, IssueState.OPEN, opened); // reopened
    m.advanceWallClock(ofMinutes(90));
    assertThat(m.alertRecords()).isEmpty(); // 90 min since the reopening, not 4.5 h
    m.advanceWallClock(ofMinutes(40));
    assertThat(m.alertRecords()).extracting(QualityAlert::getSlo).containsExactly("response");
  }

  @Test
  void shouldCountTheOwnersAnswersIntoTheProductsAccountabilityFigures() {
    m.product(P, slos().setMinPassRate(0.5).build());
    m.pass(P, ofMinutes(-1));
    assertThat(m.lastStatus(P).getIssues()).isNull(); // no issue yet: no figures

    Instant a = m.now();
    m.issue(P, "aaaaaaaaaaaa", IssueSeverity.CRITICAL, IssueState.OPEN, a);
    m.advanceWallClock(ofMinutes(10));
    Instant b = m.now();
    m.issue(P, "bbbbbbbbbbbb", IssueSeverity.HIGH, IssueState.OPEN, b);
    m.advanceWallClock(ofMinutes(20));
    m.issue(P, "aaaaaaaaaaaa", IssueSeverity.CRITICAL, IssueState.ACKNOWLEDGED, a);
    Instant acknowledged = m.now();
    m.advanceWallClock(ofMinutes(30));
    m.issue(P, "aaaaaaaaaaaa", IssueSeverity.CRITICAL, IssueState.RESOLVED, a, acknowledged);

    var figures = m.lastStatus(P).getIssues();
    assertThat(figures.getOpenIssues()).isEqualTo(1);
    assertThat(figures.getOpenBySeverity()).containsEntry("HIGH", 1L).containsEntry("CRITICAL", 0L);
    assertThat(figures.getOldestUnacknowledgedSince()).isEqualTo(b);
    assertThat(figures.getAcknowledgeP50Ms()).isEqualTo(ofMinutes(30).toMillis());
    assertThat(figures.getResolveP50Ms()).isEqualTo(ofMinutes(60).toMillis());
    assertThat(figures.getResolvedCount()).isEqualTo(1);
  }

  @Test
  void shouldRefuseGarbageAndIssuesOfUnknownProductsOnTheIssuesTopic() {
    m.product(P, slos().build());
    m.rawIssues.pipeInput(P, new byte[] {9, 9, 9});
    m.rawIssues.pipeInput(P, null);
    m.issue("sales.unknown", "a1b2c3d4e5f6", IssueSeverity.CRITICAL, IssueState.OPEN, m.now());

    assertThat(m.listener.refusals(Refusal.UNDECODABLE)).isEqualTo(1);
    assertThat(m.listener.refusals(Refusal.NULL_VALUE)).isEqualTo(1);
    assertThat(m.listener.refusals(Refusal.UNKNOWN_PRODUCT)).isEqualTo(1);
  }

  // ---- bad input ----

  @Test
  void shouldRefuseAnEventOfAnUnknownProduct() {
    m.pass("sales.unknown", ofMinutes(-1));

    assertThat(m.listener.refusals(Refusal.UNKNOWN_PRODUCT)).isEqualTo(1);
    assertThat(m.statusRecords()).isEmpty();
  }

  @Test
  void shouldRefuseAnEventFarInTheFuture() {
    m.product(P, slos().setMinPassRate(0.5).build());
    m.fail(P, Duration.ofDays(365));
    m.pass(P, ofMinutes(-1));

    assertThat(m.listener.refusals(Refusal.FUTURE_TIMESTAMP)).isEqualTo(1);
    // The future event neither counted nor moved stream time: the current window is still now.
    assertThat(m.lastStatus(P).getPassRate()).isEqualTo(1.0);
    assertThat(m.lastStatus(P).getWindowEnd()).isEqualTo(T0);
  }

  @Test
  void shouldRefuseNaNInfiniteAndNegativeCountValues() {
    m.product(P, slos().setMinPassRate(0.5).build());
    m.event(check(P, "c", true, ofMinutes(-1)).setMeasuredValue(Double.NaN));
    m.event(check(P, "c", true, ofMinutes(-1)).setThreshold(Double.NaN));
    m.event(check(P, "c", true, ofMinutes(-1)).setMeasuredValue(Double.POSITIVE_INFINITY));
    m.event(check(P, "c", true, ofMinutes(-1)).setRecordCount(-5L));
    m.event(check(P, " ", true, ofMinutes(-1)));

    assertThat(m.listener.refusals(Refusal.INVALID_VALUE)).isEqualTo(5);
    assertThat(m.lastStatus(P).getPassRate()).isNull();
  }

  @Test
  void shouldAcceptANegativeMeasurement() {
    m.product(P, slos().setMinPassRate(0.5).build());
    m.event(check(P, "drift", true, ofMinutes(-1)).setMeasuredValue(-0.3).setThreshold(0.5));

    assertThat(m.listener.totalRefusals()).isZero();
    assertThat(m.lastStatus(P).getPassRate()).isEqualTo(1.0);
  }

  @Test
  void shouldRefuseUndecodableBytesAndGoOn() {
    m.product(P, slos().setMinPassRate(0.5).build());
    byte[] good =
        MeshEventSerde.of(QualityEvent.class)
            .serialize("t", check(P, "c", true, ofMinutes(-1)).build());

    m.rawQuality.pipeInput(P, new byte[] {1, 2, 3, 4, 5});
    m.rawQuality.pipeInput(P, Arrays.copyOf(good, good.length / 2)); // truncated Avro
    m.rawProducts.pipeInput(P, "{\"not\":\"avro\"}".getBytes());
    m.rawStats.pipeInput(P, new byte[] {(byte) 0xC3, 1, 0});
    m.rawQuality.pipeInput(P, good);

    assertThat(m.listener.refusals(Refusal.UNDECODABLE)).isEqualTo(4);
    assertThat(m.lastStatus(P).getPassRate()).isEqualTo(1.0);
  }

  @Test
  void shouldRefuseNullKeysAndValues() {
    m.product(P, slos().setMinPassRate(0.5).build());
    m.rawQuality.pipeInput(P, null);
    m.rawStats.pipeInput(P, null);
    m.rawQuality.pipeInput((String) null, new byte[] {1});

    assertThat(m.listener.refusals(Refusal.NULL_VALUE)).isEqualTo(2);
    assertThat(m.listener.refusals(Refusal.NULL_KEY)).isEqualTo(1);
  }

  @Test
  void shouldRefuseAnEventWhoseKeyIsNotItsProduct() {
    m.product(P, slos().setMinPassRate(0.5).build());
    QualityEvent e = check(P, "c", false, ofMinutes(-1)).build();
    m.quality.pipeInput("sales.orders", e);
    QualityEvent bad = check(P, "c", false, ofMinutes(-1)).setProductId("Not An Id").build();
    m.quality.pipeInput("Not An Id", bad);

    assertThat(m.listener.refusals(Refusal.KEY_MISMATCH)).isEqualTo(1);
    assertThat(m.listener.refusals(Refusal.INVALID_PRODUCT_ID)).isEqualTo(1);
    assertThat(m.alertRecords()).isEmpty();
  }

  @Test
  void shouldRefuseNegativeValidatorCounts() {
    m.product(P, slos().setMaxRejectionRate(0.1).build());
    m.stats(P, -1, 0, ofMinutes(-1), null);

    assertThat(m.listener.refusals(Refusal.INVALID_VALUE)).isEqualTo(1);
  }

  @Test
  void shouldMonitorAProductWithoutTheServiceLevelsItDeclaredWrongly() {
    m.product(P, slos().setMinPassRate(Double.NaN).setMaxStalenessMs(-5L).build());

    assertThat(m.listener.refusals(Refusal.INVALID_SLO)).isEqualTo(2);
    assertThat(m.lastStatus(P).getState()).isEqualTo(HealthState.UNKNOWN);
  }

  private static QualitySettings raiseAfter(Duration raiseAfter) {
    var config = new QualityConfig();
    config.setRaiseAfter(raiseAfter);
    return config.toSettings();
  }
}
