package dev.meshbone.validator.contracts;

import static dev.meshbone.validator.contracts.ContractsDriver.assertAccepted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.contracts.ContractKeys;
import dev.meshbone.events.Compatibility;
import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.ContractEntry;
import dev.meshbone.events.ContractProposal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A decider with empty stores (a new application id, wiped changelogs) starts from the contract log
 * another validator wrote: the same schema keeps its id, a new one gets an id above every id in the
 * log, levels hold, and proposals that were decided before are not decided again.
 */
class ContractSeedTest {
  static final String ORDER_V1 = ContractDecisionsTest.ORDER_V1;
  static final String ORDER_V2 = ContractDecisionsTest.ORDER_V2;
  static final String ORDER_V3 = ContractDecisionsTest.ORDER_V3;
  static final String CUSTOMER =
      "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"sales\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"}]}";

  private static final Instant FIRST_RUN = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant SECOND_RUN = Instant.parse("2026-01-02T00:00:00Z");

  private ContractsDriver before;
  private ContractsDriver after;

  @AfterEach
  void close() {
    for (ContractsDriver driver : new ContractsDriver[] {before, after}) {
      if (driver != null) {
        driver.close();
      }
    }
  }

  /** A first validator's history, then a second one started on the log it wrote. */
  private void history(Runnable first) {
    before = new ContractsDriver(FIRST_RUN, Duration.ofSeconds(1));
    first.run();
    List<TestRecord<String, ContractEntry>> log = before.logRecords();
    after = new ContractsDriver(SECOND_RUN, Duration.ofSeconds(1));
    after.pipeLog(log);
  }

  @Test
  void shouldGiveTheSameSchemaItsIdAgain() {
    int[] ids = new int[2];
    history(
        () -> {
          ids[0] = before.register("sales.orders-value", ORDER_V1).getSchemaId();
          ids[1] = before.register("sales.customers-value", CUSTOMER).getSchemaId();
        });

    ContractDecision again = after.register("sales.customers-value", CUSTOMER);

    assertAccepted(again);
    assertThat(again.getSchemaId()).isEqualTo(ids[1]);
    assertThat(again.getVersion()).isEqualTo(1);
    assertThat(after.entries()).isEmpty();
  }

  @Test
  void shouldGiveANewSchemaAnIdAboveEveryIdInTheLog() {
    int[] last = new int[1];
    history(
        () -> {
          before.register("sales.orders-value", ORDER_V1);
          before.register("sales.customers-value", CUSTOMER);
          last[0] = before.register("sales.orders-value", ORDER_V2).getSchemaId();
        });

    ContractDecision fresh = after.register("sales.orders-value", ORDER_V3);

    assertAccepted(fresh);
    assertThat(fresh.getSchemaId()).isEqualTo(last[0] + 1);
    assertThat(fresh.getVersion()).isEqualTo(3);
  }

  @Test
  void shouldKeepTheLevelsOfTheLog() {
    history(
        () -> {
          before.register("sales.orders-value", ORDER_V1);
          before.setConfig("sales.orders-value", Compatibility.NONE, "sales");
        });

    // Incompatible under the default BACKWARD (a new field without a default), fine under NONE.
    ContractDecision decision =
        after.register(
            "sales.orders-value",
            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"sales\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"n\",\"type\":\"int\"}]}");

    assertAccepted(decision);
  }

  @Test
  void shouldNotDecideAgainAProposalDecidedBefore() {
    history(
        () -> {
          before.register("sales.orders-value", ORDER_V1);
          before.register("sales.orders-value", ORDER_V2);
          before.deleteVersion("sales.orders-value", 2, false);
        });

    // The new application id reads the proposals topic from its start again.
    for (TestRecord<String, ContractProposal> old : before.proposalRecords()) {
      assertThat(after.replay(old)).as("decision for %s", old.value().getType()).isNull();
    }
    ContractDecision next = after.register("sales.orders-value", ORDER_V3);

    // Registering v2 again would have given it version 3, next version 4.
    assertThat(after.entries())
        .extracting(kv -> kv.key)
        .containsExactly(ContractKeys.version("sales.orders-value", 3));
    assertThat(next.getVersion()).isEqualTo(3);
  }

  @Test
  void shouldDecideProposalsAfterTheLatestChangeOfTheLog() {
    history(() -> before.register("sales.orders-value", ORDER_V1));

    // Queued while no validator ran: stamped after the log's latest change.
    var queued =
        ContractsDriver.proposal(dev.meshbone.events.ProposalType.REGISTER, "sales.orders-value");
    queued.setSchema$(ORDER_V2);
    ContractDecision decision =
        after.replay(
            new TestRecord<>(
                "sales.orders-value", queued.build(), FIRST_RUN.plus(Duration.ofHours(1))));

    assertThat(decision).isNotNull();
    assertAccepted(decision);
    assertThat(decision.getVersion()).isEqualTo(2);
  }

  @Test
  void shouldStartFromIdOneOnAnEmptyLog() {
    history(() -> {});

    ContractDecision first = after.register("sales.orders-value", ORDER_V1);

    assertThat(first.getSchemaId()).isEqualTo(1);
  }
}
