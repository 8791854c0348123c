package dev.meshbone.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshbone.events.ServiceLevels;
import dev.meshbone.testkit.HeadlessChromium;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} driven through Debian's
 * {@code chromedriver}, both installed by {@code bin/install-test-tools}): the page loads, shows
 * the products of a running monitor by state, and moves a product to another column when its status
 * changes, without a reload. Skipped, saying why, where the browser is not installed.
 */
@WithKafka
class QualityDashboardIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void shouldShowProductsByStateAndFollowAStatusChangeLive(KafkaBroker broker) throws Exception {
    try (var harness = new MonitorHarness(broker)) {
      // Security on: the browser logs in with HTTP Basic (the page's fetch and EventSource go to
      // the same origin, so the browser sends the credentials with them too).
      Path users = Files.createTempFile("dashboard-users", ".properties");
      Files.writeString(users, "sre-team=dashboard-pw\n");
      ApplicationContext app =
          harness.start(
              Map.of(
                  "meshbone.security.enabled",
                  true,
                  "meshbone.security.users-file",
                  users.toString()));
      harness.awaitRunning();
      String steady = MonitorHarness.uniqueProduct("pharmacovigilance", "case-reports");
      String flaky = MonitorHarness.uniqueProduct("pharmacovigilance", "signals");
      var slos = ServiceLevels.newBuilder().setMinPassRate(0.9).build();
      harness.product(steady, slos);
      harness.product(flaky, slos);
      harness.check(steady, "narrative-present", true);
      harness.check(flaky, "meddra-coded", true);
      await()
          .atMost(WAIT)
          .until(
              () ->
                  harness.statuses(flaky).stream().anyMatch(h -> h.getPassRate() != null)
                      && harness.statuses(steady).stream().anyMatch(h -> h.getPassRate() != null));

      WebDriver browser = HeadlessChromium.start();
      try {
        // Without credentials the page is refused with a Basic challenge: a browser asks.
        var anonymous =
            java.net.http.HttpClient.newHttpClient()
                .send(
                    java.net.http.HttpRequest.newBuilder(MonitorHarness.uri(app, "/")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElse(""))
            .startsWith("Basic realm=\"meshbone\"");
        browser.get(
            MonitorHarness.uri(app, "/")
                .toString()
                .replace("http://", "http://sre-team:dashboard-pw@"));

        // The page loads, goes live, and shows both products as HEALTHY.
        assertThat(browser.getTitle()).contains("product quality");
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .until(
                () ->
                    "live"
                        .equals(
                            browser.findElement(By.id("connection")).getAttribute("data-status")));
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .until(() -> "HEALTHY".equals(stateOf(browser, flaky)));
        assertThat(stateOf(browser, steady)).isEqualTo("HEALTHY");
        assertThat(columnOf(browser, flaky)).isEqualTo("HEALTHY");

        // A failing check breaches the product: its card moves to BREACHED, by the live stream.
        harness.check(flaky, "meddra-coded", false);
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .until(() -> "BREACHED".equals(stateOf(browser, flaky)));
        // Re-rendering replaces elements, so read them again until the page is settled.
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .untilAsserted(
                () -> {
                  assertThat(columnOf(browser, flaky)).isEqualTo("BREACHED");
                  WebElement card = card(browser, flaky);
                  assertThat(card.findElement(By.className("figure-pass-rate")).getText())
                      .isEqualTo("50.0 %");
                  assertThat(card.getText()).contains("passRate 0.5 < minPassRate 0.9");
                  assertThat(stateOf(browser, steady)).isEqualTo("HEALTHY");
                  assertThat(
                          browser
                              .findElement(By.cssSelector(".total[data-state='BREACHED'] b"))
                              .getText())
                      .isNotEqualTo("0");
                });

        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(Path.of("target"));
        Files.copy(shot, Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
      } finally {
        browser.quit();
      }
    }
  }

  private static WebElement card(WebDriver browser, String product) {
    List<WebElement> cards =
        browser.findElements(By.cssSelector(".card[data-product='" + product + "']"));
    return cards.isEmpty() ? null : cards.get(0);
  }

  private static String stateOf(WebDriver browser, String product) {
    WebElement card = card(browser, product);
    return card == null ? null : card.getAttribute("data-state");
  }

  private static String columnOf(WebDriver browser, String product) {
    return card(browser, product)
        .findElement(By.xpath("ancestor::section[contains(@class,'column')]"))
        .getAttribute("data-state");
  }
}
