package dev.meshbone.quality;

import static dev.meshbone.quality.MonitorHarness.streams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshbone.events.AlertState;
import dev.meshbone.events.HealthState;
import dev.meshbone.events.ProductHealth;
import dev.meshbone.events.QualityAlert;
import dev.meshbone.events.ServiceLevels;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import io.micronaut.context.ApplicationContext;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.junit.jupiter.api.Test;

/**
 * quality-monitor end to end on a real broker: products and quality events in, status and alerts
 * out, and the HTTP API (health, history, summary, errors, live stream, Prometheus) over real HTTP;
 * then two instances answering for each other's products.
 */
@WithKafka
class QualityMonitorIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void shouldTurnQualityEventsIntoStatusAlertsAndAnswersOverHttp(KafkaBroker broker)
      throws Exception {
    try (var harness = new MonitorHarness(broker)) {
      ApplicationContext app = harness.start(Map.of());
      harness.awaitRunning();
      String product = MonitorHarness.uniqueProduct("clinical-trials", "enrollments");
      harness.product(product, ServiceLevels.newBuilder().setMinPassRate(0.9).build());
      await().atMost(WAIT).until(() -> !harness.statuses(product).isEmpty());

      try (var sse = harness.new SseReader(app)) {
        await().atMost(WAIT).until(() -> sse.lines.contains("event: hello"));

        // Three of five checks pass: 0.6 < 0.9.
        for (int i = 0; i < 3; i++) {
          harness.check(product, "site-not-null", true);
        }
        harness.check(product, "dose-in-range", false);
        harness.check(product, "dose-in-range", false);

        await()
            .atMost(WAIT)
            .until(() -> last(harness.statuses(product)).getState() == HealthState.BREACHED);
        assertThat(last(harness.statuses(product)).getPassRate()).isEqualTo(0.6);
        await().atMost(WAIT).until(() -> !harness.alerts(product).isEmpty());
        QualityAlert raised = harness.alerts(product).get(0);
        assertThat(raised.getState()).isEqualTo(AlertState.RAISED);
        assertThat(raised.getSlo()).isEqualTo("passRate");

        // The live stream told the dashboard.
        await()
            .atMost(WAIT)
            .until(
                () ->
                    sse.lines.stream()
                        .anyMatch(
                            l ->
                                l.startsWith("data:")
                                    && l.contains(product)
                                    && l.contains("\"state\":\"BREACHED\"")));
      }

      // Current health and figures.
      HttpResponse<String> health = harness.get(app, "/products/" + product);
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body())
          .contains("\"state\":\"BREACHED\"")
          .contains("\"passRate\":0.6")
          .contains("\"dose-in-range\":0.0")
          .contains("passRate 0.6 < minPassRate 0.9");

      // History, newest first.
      HttpResponse<String> history = harness.get(app, "/products/" + product + "/history");
      assertThat(history.statusCode()).isEqualTo(200);
      assertThat(history.body().indexOf("BREACHED")).isLessThan(history.body().indexOf("HEALTHY"));

      // Summary by domain.
      HttpResponse<String> summary = harness.get(app, "/summary?domain=clinical-trials");
      assertThat(summary.statusCode()).isEqualTo(200);
      assertThat(summary.body())
          .contains("\"domain\":\"clinical-trials\"")
          .contains("\"BREACHED\":");

      // Recovery with margin clears the alert (clear-after is 1 s here).
      for (int i = 0; i < 60; i++) {
        harness.check(product, "dose-in-range", true);
      }
      await()
          .atMost(WAIT)
          .until(
              () ->
                  harness.alerts(product).stream()
                      .anyMatch(a -> a.getState() == AlertState.CLEARED));
      await()
          .atMost(WAIT)
          .until(() -> last(harness.statuses(product)).getState() == HealthState.HEALTHY);
      assertThat(harness.alerts(product))
          .extracting(QualityAlert::getState)
          .containsExactly(AlertState.RAISED, AlertState.CLEARED);

      // Bad input is counted, and the product's gauges are exported.
      harness.send(harness.topics.quality.name(), product, new byte[] {1, 2, 3});
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                HttpResponse<String> metrics = harness.get(app, "/prometheus");
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.body())
                    .contains("meshbone_quality_refused_total{")
                    .contains("reason=\"UNDECODABLE\"")
                    .containsPattern(
                        "meshbone_quality_product_state\\{[^}]*product=\""
                            + product
                            + "\"[^}]*state=\"HEALTHY\"[^}]*} 1\\.0")
                    .contains("meshbone_quality_product_pass_rate{");
              });

      // Errors are JSON.
      HttpResponse<String> unknown = harness.get(app, "/products/clinical-trials.no-such-thing");
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.body()).contains("\"code\":\"PRODUCT_NOT_FOUND\"");
      HttpResponse<String> badId = harness.get(app, "/products/Not%20An%20Id");
      assertThat(badId.statusCode()).isEqualTo(400);
      assertThat(badId.body()).contains("\"code\":\"INVALID_PRODUCT_ID\"");
      HttpResponse<String> badLimit = harness.get(app, "/products/" + product + "/history?limit=0");
      assertThat(badLimit.statusCode()).isEqualTo(400);
      assertThat(badLimit.body()).contains("\"code\":\"INVALID_LIMIT\"");
      HttpResponse<String> badState = harness.get(app, "/products?state=ON_FIRE");
      assertThat(badState.statusCode()).isEqualTo(400);
      assertThat(badState.body()).contains("\"code\":\"INVALID_STATE\"");

      // A retired product stops being monitored.
      harness.retire(product);
      await()
          .atMost(WAIT)
          .until(() -> harness.get(app, "/products/" + product).statusCode() == 404);
    }
  }

  @Test
  void shouldAnswerForAProductHeldByAnotherInstance(KafkaBroker broker) {
    try (var harness = new MonitorHarness(broker)) {
      ApplicationContext a = harness.startRouted();
      ApplicationContext b = harness.startRouted();
      harness.awaitRunning();

      String domain = "routing-" + KafkaBroker.unique("d").substring(2);
      List<String> products = new ArrayList<>();
      IntStream.range(0, 12).forEach(i -> products.add(domain + ".product-" + i));
      products.forEach(
          p -> harness.product(p, ServiceLevels.newBuilder().setMinPassRate(0.5).build()));
      products.forEach(p -> harness.check(p, "c", true));

      // Each instance holds some of the products...
      await()
          .atMost(WAIT)
          .until(
              () ->
                  products.stream()
                      .allMatch(
                          p ->
                              harness.statuses(p).stream().anyMatch(h -> h.getPassRate() != null)));
      var ownerOf =
          products.stream()
              .map(
                  p ->
                      streams(a)
                          .queryMetadataForKey(
                              QualityTopology.HEALTH_STORE, p, Serdes.String().serializer()))
              .map(KeyQueryMetadata::activeHost)
              .distinct()
              .toList();
      assertThat(ownerOf).hasSize(2);

      // ...and both answer for all of them.
      for (ApplicationContext instance : List.of(a, b)) {
        for (String p : products) {
          HttpResponse<String> response = harness.get(instance, "/products/" + p);
          assertThat(response.statusCode()).as(p).isEqualTo(200);
          assertThat(response.body()).contains("\"productId\":\"" + p + "\"");
          assertThat(harness.get(instance, "/products/" + p + "/history").statusCode())
              .isEqualTo(200);
        }
        HttpResponse<String> list = harness.get(instance, "/products?domain=" + domain);
        assertThat(list.body().split("\"productId\"", -1)).hasSize(products.size() + 1);
        HttpResponse<String> summary = harness.get(instance, "/summary?domain=" + domain);
        assertThat(summary.body()).contains("\"total\":12");
      }
    }
  }

  private static ProductHealth last(List<ProductHealth> statuses) {
    return statuses.get(statuses.size() - 1);
  }
}
