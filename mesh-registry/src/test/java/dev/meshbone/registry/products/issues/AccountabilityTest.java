package dev.meshbone.registry.products.issues;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.events.IssueKind;
import dev.meshbone.events.IssueSeverity;
import dev.meshbone.events.IssueState;
import dev.meshbone.events.ProductIssue;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountabilityTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private static ProductIssue issue(
      String id, IssueSeverity severity, IssueState state, Long ackAfterS, Long closeAfterS) {
    return ProductIssue.newBuilder()
        .setIssueId(id)
        .setProductId("supply-chain.batch-releases")
        .setReporterDomain("pharmacovigilance")
        .setOwnerDomain("supply-chain")
        .setKind(IssueKind.PROBLEM)
        .setTitle("t")
        .setDescription("d")
        .setSeverity(severity)
        .setState(state)
        .setOpenedAt(T0)
        .setUpdatedAt(T0)
        .setAcknowledgedAt(ackAfterS == null ? null : T0.plusSeconds(ackAfterS))
        .setClosedAt(closeAfterS == null ? null : T0.plusSeconds(closeAfterS))
        .setThread(List.of())
        .build();
  }

  @Test
  void shouldCountOpenIssuesBySeverityAndMeasureTheTimesToAcknowledgeAndResolve() {
    var figures =
        IssueQueries.accountability(
            List.of(
                issue("a", IssueSeverity.CRITICAL, IssueState.OPEN, null, null),
                issue("b", IssueSeverity.HIGH, IssueState.ACKNOWLEDGED, 60L, null),
                issue("c", IssueSeverity.LOW, IssueState.RESOLVED, 120L, 3_600L),
                issue("d", IssueSeverity.LOW, IssueState.WONT_FIX, 600L, 700L)),
            T0.plusSeconds(7_200));

    assertThat(figures.openIssues()).isEqualTo(2);
    assertThat(figures.openBySeverity())
        .containsEntry("CRITICAL", 1L)
        .containsEntry("HIGH", 1L)
        .containsEntry("MEDIUM", 0L)
        .containsEntry("LOW", 0L);
    assertThat(figures.acknowledgeP50Ms()).isEqualTo(120_000L);
    assertThat(figures.oldestUnacknowledgedMs()).isEqualTo(7_200_000L);
    assertThat(figures.resolveP50Ms()).isEqualTo(3_600_000L);
    assertThat(figures.acknowledgedCount()).isEqualTo(3);
    assertThat(figures.resolvedCount()).isEqualTo(1);
  }

  @Test
  void shouldLeaveTheTimesEmptyWithoutIssues() {
    var figures = IssueQueries.accountability(List.of(), T0);

    assertThat(figures.openIssues()).isZero();
    assertThat(figures.acknowledgeP50Ms()).isNull();
    assertThat(figures.oldestUnacknowledgedMs()).isNull();
    assertThat(figures.resolveP50Ms()).isNull();
  }
}
