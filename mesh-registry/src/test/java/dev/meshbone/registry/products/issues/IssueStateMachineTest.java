package dev.meshbone.registry.products.issues;

import static dev.meshbone.registry.products.Events.created;
import static dev.meshbone.registry.products.Events.descriptor;
import static dev.meshbone.registry.products.Events.subscription;
import static dev.meshbone.registry.products.Events.subscriptionKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.IssueAction;
import dev.meshbone.events.IssueDecision;
import dev.meshbone.events.IssueKind;
import dev.meshbone.events.IssueRequest;
import dev.meshbone.events.IssueSeverity;
import dev.meshbone.events.IssueState;
import dev.meshbone.events.Notification;
import dev.meshbone.events.NotificationType;
import dev.meshbone.events.ProductIssue;
import dev.meshbone.events.Subscription;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.registry.RegistryStreamsApp;
import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.runtime.KafkaSettings;
import dev.meshbone.runtime.MeshSettings;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.TopicSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue state machine as the registry's topology runs it: requests on {@code
 * mesh.issues.requests} decided in stream order onto {@code mesh.issues}, with their notifications.
 */
class IssueStateMachineTest {
  private static final String BATCHES = "supply-chain.batch-releases";
  private static final String OWNER = "supply-chain";
  private static final String REPORTER = "pharmacovigilance";
  private static final String THIRD = "finance";
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private final MeshTopics topics = MeshTopics.defaults();
  private TopologyTestDriver driver;
  private TestInputTopic<String, DataProductEvent> products;
  private TestInputTopic<String, Subscription> subscriptions;
  private TestInputTopic<String, IssueRequest> requests;
  private TestOutputTopic<String, IssueDecision> decisions;
  private TestOutputTopic<String, Notification> notifications;

  @BeforeEach
  void start(@TempDir Path stateDir) {
    var app = new RegistryStreamsApp(topics);
    var props =
        MeshStreams.streamsConfig(
            app,
            new KafkaSettings(Map.of("bootstrap.servers", "unused:9092")),
            MeshSettings.DEFAULTS.withStateDir(stateDir));
    driver = new TopologyTestDriver(app.topology(), props);
    products = input(topics.products);
    subscriptions = input(topics.subscriptions);
    requests = input(topics.issueRequests);
    decisions = output(topics.issues);
    notifications = output(topics.notifications);
    products.pipeInput(BATCHES, created(BATCHES, descriptor("Batch releases").build()));
  }

  @AfterEach
  void close() {
    driver.close();
  }

  private <V> TestInputTopic<String, V> input(TopicSpec<String, V> spec) {
    return driver.createInputTopic(
        spec.name(), spec.keySerde().serializer(), spec.valueSerde().serializer());
  }

  private <V> TestOutputTopic<String, V> output(TopicSpec<String, V> spec) {
    return driver.createOutputTopic(
        spec.name(), spec.keySerde().deserializer(), spec.valueSerde().deserializer());
  }

  private static IssueRequest.Builder request(String issueId, String actor, IssueAction action) {
    return IssueRequest.newBuilder()
        .setRequestId(UUID.randomUUID().toString())
        .setProductId(BATCHES)
        .setIssueId(issueId)
        .setActor(actor)
        .setAction(action)
        .setRequestedAt(T0);
  }

  private IssueDecision send(IssueRequest r, Instant at) {
    requests.pipeInput(new TestRecord<>(r.getProductId(), r, at));
    IssueDecision d = decisions.readValue();
    assertThat(d.getRequestId()).isEqualTo(r.getRequestId());
    return d;
  }

  private IssueDecision open(String issueId, IssueKind kind, IssueSeverity severity) {
    return send(
        request(issueId, REPORTER, IssueAction.OPEN)
            .setKind(kind)
            .setSeverity(severity)
            .setTitle("Batch released during the cold-room breach")
            .setDescription("Batch 4711 left the cold room at 9 °C")
            .build(),
        T0);
  }

  private IssueDecision move(String issueId, String actor, IssueState to, Instant at) {
    return send(request(issueId, actor, IssueAction.CHANGE_STATE).setState(to).build(), at);
  }

  private IssueDecision comment(String issueId, String actor, String text) {
    return send(
        request(issueId, actor, IssueAction.COMMENT).setText(text).build(), T0.plusSeconds(5));
  }

  private List<Notification> notices() {
    return notifications.readValuesToList();
  }

  @Test
  void shouldOpenAnIssueAndTellTheOwner() {
    IssueDecision d = open("a1", IssueKind.PROBLEM, IssueSeverity.MEDIUM);

    assertThat(d.getAccepted()).isTrue();
    ProductIssue issue = d.getIssue();
    assertThat(issue.getState()).isEqualTo(IssueState.OPEN);
    assertThat(issue.getReporterDomain()).isEqualTo(REPORTER);
    assertThat(issue.getOwnerDomain()).isEqualTo(OWNER);
    assertThat(issue.getOpenedAt()).isEqualTo(T0);
    assertThat(issue.getThread()).hasSize(1);
    assertThat(
            driver
                .<String, ProductIssue>getKeyValueStore(CatalogStores.ISSUES_STORE)
                .get(CatalogStores.issueKey(BATCHES, "a1")))
        .isEqualTo(issue);
    assertThat(notices())
        .extracting(Notification::getRecipientDomain, Notification::getType)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(OWNER, NotificationType.PRODUCT_ISSUE_OPENED));
  }

  @Test
  void shouldGoFromOpenThroughAcknowledgedToResolvedByTheOwnerAndTellTheReporter() {
    open("a1", IssueKind.PROBLEM, IssueSeverity.LOW);
    notices();

    IssueDecision acked = move("a1", OWNER, IssueState.ACKNOWLEDGED, T0.plusSeconds(60));
    IssueDecision resolved = move("a1", OWNER, IssueState.RESOLVED, T0.plusSeconds(600));

    assertThat(acked.getIssue().getState()).isEqualTo(IssueState.ACKNOWLEDGED);
    assertThat(acked.getIssue().getAcknowledgedAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(resolved.getIssue().getState()).isEqualTo(IssueState.RESOLVED);
    assertThat(resolved.getIssue().getClosedAt()).isEqualTo(T0.plusSeconds(600));
    assertThat(resolved.getIssue().getThread())
        .extracting(e -> e.getToState())
        .containsExactly(IssueState.OPEN, IssueState.ACKNOWLEDGED, IssueState.RESOLVED);
    assertThat(notices())
        .extracting(Notification::getRecipientDomain, Notification::getType)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(REPORTER, NotificationType.PRODUCT_ISSUE_UPDATED),
            org.assertj.core.groups.Tuple.tuple(REPORTER, NotificationType.PRODUCT_ISSUE_UPDATED));
  }

  @Test
  void shouldRefuseAStateChangeByAThirdDomainOrByTheReporter() {
    open("a1", IssueKind.PROBLEM, IssueSeverity.LOW);

    IssueDecision third = move("a1", THIRD, IssueState.ACKNOWLEDGED, T0.plusSeconds(1));
    IssueDecision reporter = move("a1", REPORTER, IssueState.ACKNOWLEDGED, T0.plusSeconds(2));

    assertThat(third.getAccepted()).isFalse();
    assertThat(third.getStatus()).isEqualTo(403);
    assertThat(third.getCode()).isEqualTo("FORBIDDEN");
    assertThat(reporter.getStatus()).isEqualTo(403);
    assertThat(
            driver
                .<String, ProductIssue>getKeyValueStore(CatalogStores.ISSUES_STORE)
                .get(CatalogStores.issueKey(BATCHES, "a1"))
                .getState())
        .isEqualTo(IssueState.OPEN);
  }

  @Test
  void shouldRefuseMovesTheStateMachineDoesNotAllow() {
    open("a1", IssueKind.PROBLEM, IssueSeverity.LOW);

    IssueDecision skip = move("a1", OWNER, IssueState.RESOLVED, T0.plusSeconds(1));
    move("a1", OWNER, IssueState.ACKNOWLEDGED, T0.plusSeconds(2));
    move("a1", OWNER, IssueState.WONT_FIX, T0.plusSeconds(3));
    IssueDecision reopenWontFix = move("a1", REPORTER, IssueState.OPEN, T0.plusSeconds(4));

    assertThat(skip.getStatus()).isEqualTo(409);
    assertThat(skip.getCode()).isEqualTo("ISSUE_STATE_CONFLICT");
    assertThat(reopenWontFix.getAccepted()).isFalse();
    assertThat(reopenWontFix.getStatus()).isEqualTo(403);
  }

  @Test
  void shouldLetTheReporterReopenAResolvedIssueAndTellTheOwner() {
    open("a1", IssueKind.PROBLEM, IssueSeverity.LOW);
    move("a1", OWNER, IssueState.ACKNOWLEDGED, T0.plusSeconds(1));
    move("a1", OWNER, IssueState.RESOLVED, T0.plusSeconds(2));
    notices();

    IssueDecision reopened = move("a1", REPORTER, IssueState.OPEN, T0.plusSeconds(3));

    assertThat(reopened.getAccepted()).isTrue();
    assertThat(reopened.getIssue().getState()).isEqualTo(IssueState.OPEN);
    assertThat(reopened.getIssue().getClosedAt()).isNull();
    assertThat(reopened.getIssue().getAcknowledgedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(notices())
        .extracting(Notification::getRecipientDomain, Notification::getType)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(OWNER, NotificationType.PRODUCT_ISSUE_UPDATED));
  }

  @Test
  void shouldTakeCommentsFromTheReporterAndTheOwnerOnly() {
    open("a1", IssueKind.IMPROVEMENT, IssueSeverity.LOW);
    notices();

    IssueDecision byOwner = comment("a1", OWNER, "Looking into it");
    IssueDecision byReporter = comment("a1", REPORTER, "Thanks");
    IssueDecision byThird = comment("a1", THIRD, "Me too");

    assertThat(byOwner.getAccepted()).isTrue();
    assertThat(byReporter.getIssue().getThread()).hasSize(3);
    assertThat(byThird.getStatus()).isEqualTo(403);
    assertThat(notices())
        .extracting(Notification::getRecipientDomain)
        .containsExactly(REPORTER, OWNER);
  }

  @Test
  void shouldRefuseRequestsAboutAnUnknownProductOrIssue() {
    IssueDecision noIssue = move("zz", OWNER, IssueState.ACKNOWLEDGED, T0);
    IssueRequest onUnknown =
        IssueRequest.newBuilder(
                request("a1", REPORTER, IssueAction.OPEN)
                    .setKind(IssueKind.PROBLEM)
                    .setSeverity(IssueSeverity.LOW)
                    .setTitle("t")
                    .setDescription("d")
                    .build())
            .setProductId("supply-chain.unknown")
            .build();
    requests.pipeInput(new TestRecord<>("supply-chain.unknown", onUnknown, T0));
    IssueDecision noProduct = decisions.readValue();

    assertThat(noIssue.getStatus()).isEqualTo(404);
    assertThat(noIssue.getCode()).isEqualTo("ISSUE_NOT_FOUND");
    assertThat(noProduct.getStatus()).isEqualTo(404);
    assertThat(noProduct.getCode()).isEqualTo("PRODUCT_NOT_FOUND");
    assertThat(notices()).isEmpty();
  }

  @Test
  void shouldTellApprovedSubscribersOfHighAndCriticalProblemsOnly() {
    subscriptions.pipeInput(
        subscriptionKey(BATCHES, "clinical-trials"),
        subscription(BATCHES, "clinical-trials", SubscriptionState.APPROVED, 2_000));
    subscriptions.pipeInput(
        subscriptionKey(BATCHES, "sales"),
        subscription(BATCHES, "sales", SubscriptionState.REQUESTED, 2_000));
    notices();

    open("a1", IssueKind.PROBLEM, IssueSeverity.HIGH);
    List<Notification> high = notices();
    open("a2", IssueKind.IMPROVEMENT, IssueSeverity.CRITICAL);
    List<Notification> improvement = notices();
    open("a3", IssueKind.PROBLEM, IssueSeverity.MEDIUM);
    List<Notification> medium = notices();

    assertThat(high)
        .extracting(Notification::getRecipientDomain)
        .containsExactly(OWNER, "clinical-trials");
    assertThat(high).allMatch(n -> n.getType() == NotificationType.PRODUCT_ISSUE_OPENED);
    assertThat(improvement).extracting(Notification::getRecipientDomain).containsExactly(OWNER);
    assertThat(medium).extracting(Notification::getRecipientDomain).containsExactly(OWNER);
  }

  @Test
  void shouldRefuseASecondOpeningUnderTheSameId() {
    open("a1", IssueKind.PROBLEM, IssueSeverity.LOW);

    IssueDecision again = open("a1", IssueKind.PROBLEM, IssueSeverity.LOW);

    assertThat(again.getStatus()).isEqualTo(409);
    assertThat(again.getCode()).isEqualTo("ISSUE_EXISTS");
  }
}
