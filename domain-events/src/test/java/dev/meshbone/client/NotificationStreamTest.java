package dev.meshbone.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshbone.client.RegistryDouble.Answer;
import dev.meshbone.events.NotificationType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The notification stream over the registry's server-sent events, against an HTTP double. */
class NotificationStreamTest {
  private static final String PATH = "/domains/pharmacovigilance/notifications/stream";

  private static String event(String id, String type, String summary) {
    return "id: "
        + id
        + "\nevent: "
        + type
        + "\ndata: {\"id\":\""
        + id
        + "\",\"recipient\":\"pharmacovigilance\",\"type\":\""
        + type
        + "\",\"productId\":\"clinical-trials.enrollments\",\"summary\":\""
        + summary
        + "\",\"detail\":null,\"attributes\":{\"version\":\"2\"},"
        + "\"createdAt\":\"2026-11-24T10:00:00Z\"}\n\n";
  }

  @Test
  void shouldHandNotificationsInOrderAndResumeAfterTheLastOneWhenTheConnectionDrops() {
    List<MeshNotification> received = new CopyOnWriteArrayList<>();
    List<String> lastEventIds = new CopyOnWriteArrayList<>();
    AtomicInteger connections = new AtomicInteger();
    try (var registry = RegistryDouble.start()) {
      registry.on(
          "GET",
          PATH,
          r -> {
            lastEventIds.add(String.valueOf(r.header("Last-Event-ID")));
            // Each answer is a whole body, then the connection ends: a drop, for the client.
            return switch (connections.incrementAndGet()) {
              case 1 ->
                  new Answer(
                      200,
                      "event: heartbeat\ndata: {\"domain\":\"pharmacovigilance\"}\n\n"
                          + event("n1", "CONTRACT_VERSION_ADDED", "v2 of enrollments")
                          + ": a comment\n\n"
                          + event("n2", "PRODUCT_DEPRECATED", "enrollments is deprecated"),
                      "text/event-stream");
              case 2 ->
                  new Answer(
                      200,
                      event("n2", "PRODUCT_DEPRECATED", "sent again")
                          + event("n3", "QUALITY_ALERT_RAISED", "passRate low"),
                      "text/event-stream");
              default -> new Answer(200, ": idle\n\n", "text/event-stream");
            };
          });
      try (var mesh =
              MeshClient.create(
                  MeshClientSettings.builder()
                      .domain("pharmacovigilance")
                      .bootstrapServers("localhost:1")
                      .registryUrl(registry.url())
                      .build());
          var stream = mesh.notifications(received::add)) {

        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 3);

        assertThat(received).extracting(MeshNotification::id).containsExactly("n1", "n2", "n3");
        assertThat(received.get(0).type()).isEqualTo(NotificationType.CONTRACT_VERSION_ADDED);
        assertThat(received.get(0).attributes()).containsEntry("version", "2");
        assertThat(received.get(0).productId()).isEqualTo("clinical-trials.enrollments");
        assertThat(lastEventIds.subList(0, 2)).containsExactly("null", "n2");
        assertThat(stream.delivered()).isEqualTo(3);
        assertThat(registry.requests("GET", PATH).get(0).header("X-Mesh-Domain"))
            .isEqualTo("pharmacovigilance");
      }
    }
  }

  @Test
  void shouldKeepStreamingWhenTheListenerThrows() {
    List<String> received = new CopyOnWriteArrayList<>();
    try (var registry = RegistryDouble.start()) {
      registry.on(
          "GET",
          PATH,
          r ->
              new Answer(
                  200,
                  event("a", "OTHER", "first") + event("b", "OTHER", "second"),
                  "text/event-stream"));
      try (var mesh =
              MeshClient.create(
                  MeshClientSettings.builder()
                      .domain("pharmacovigilance")
                      .bootstrapServers("localhost:1")
                      .registryUrl(registry.url())
                      .build());
          var stream =
              mesh.notifications(
                  n -> {
                    received.add(n.id());
                    if (n.id().equals("a")) {
                      throw new IllegalStateException("listener bug");
                    }
                  })) {
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("b"));
        assertThat(received).startsWith("a", "b");
      }
    }
  }
}
