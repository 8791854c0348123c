package dev.meshbone.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * What a person does in the mesh console on the demo mesh, step by step in a real browser: search
 * and filter the catalogue, open a product, compare two contract versions, follow the lineage two
 * hops, and, on a domain's page, see a subscription request arrive live and approve it. Each step
 * waits for the page (never a fixed sleep); the caller checks the console for errors afterwards.
 */
final class ConsoleWalk {
  static final String ENROLLMENTS = "clinical-trials.enrollments";
  static final String ADVERSE_EVENTS = "pharmacovigilance.adverse-events";
  static final String BATCHES = "supply-chain.batch-releases";
  static final String SHIPMENTS = "supply-chain.shipment-notices";

  private final WebDriver browser;
  private final String registry;
  private final Duration wait;
  private final Path screenshots;

  /**
   * @param screenshots where to save the catalogue, product and lineage pictures; null for none
   */
  ConsoleWalk(WebDriver browser, String registry, Duration wait, Path screenshots) {
    this.browser = browser;
    this.registry = registry;
    this.wait = wait;
    this.screenshots = screenshots;
  }

  void searchAndFilter() throws IOException {
    // The demo declares its products as the mesh comes up: open the page until all are there.
    await()
        .atMost(wait)
        .ignoreExceptions()
        .until(
            () -> {
              browser.get(registry + "/console");
              assertThat(browser.getTitle()).contains("console");
              awaitRows(
                  rows ->
                      rows.containsAll(List.of(ENROLLMENTS, ADVERSE_EVENTS, BATCHES, SHIPMENTS)),
                  Duration.ofSeconds(5));
              return true;
            });
    // Every result shows its status, health and owner.
    WebElement row = row(ENROLLMENTS);
    assertThat(row.findElement(By.cssSelector(".status .badge")).getText()).isEqualTo("ACTIVE");
    assertThat(row.findElement(By.cssSelector(".health .badge")).getText()).isNotEmpty();
    assertThat(row.findElement(By.className("owner")).getText()).isEqualTo("enrollment-platform");
    shoot("console-catalogue.png");

    // Search as you type: a glossary term of the enrollments only.
    WebElement search = browser.findElement(By.id("search"));
    search.sendKeys("study arm");
    awaitRows(rows -> rows.equals(List.of(ENROLLMENTS)));
    search.clear();
    search.sendKeys("batch");
    awaitRows(rows -> rows.contains(BATCHES) && !rows.contains(ENROLLMENTS));
    clear(search);
    awaitRows(rows -> rows.contains(ENROLLMENTS));

    // Filters: a domain, then a classification, then a health state.
    choose("filter-domain", "supply-chain");
    awaitRows(rows -> rows.containsAll(List.of(BATCHES, SHIPMENTS)) && !rows.contains(ENROLLMENTS));
    choose("filter-domain", "");
    choose("filter-classification", "PII");
    awaitRows(rows -> rows.equals(List.of(ENROLLMENTS)));
    choose("filter-classification", "");
    awaitRows(rows -> rows.contains(BATCHES));
    String health = row(BATCHES).findElement(By.cssSelector(".health .badge")).getText();
    choose("filter-health", health);
    await()
        .atMost(wait)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(rows()).contains(BATCHES);
              assertThat(browser.findElements(By.cssSelector("#results .health .badge")))
                  .allSatisfy(b -> assertThat(b.getText()).isEqualTo(health));
            });
    choose("filter-health", "");
  }

  void openAProductAndCompareItsContractVersions() throws IOException {
    // The demo evolves the enrollment contract about 20 s in: wait for its second version.
    await()
        .atMost(wait)
        .ignoreExceptions()
        .until(
            () -> {
              browser.get(registry + "/console#/");
              awaitRows(rows -> rows.contains(ENROLLMENTS));
              row(ENROLLMENTS).findElement(By.className("product-link")).click();
              waitFor(By.id("diff-right"), Duration.ofSeconds(10));
              return browser.findElements(By.cssSelector("#diff-right option")).size() >= 2;
            });
    assertThat(browser.findElement(By.id("product")).getAttribute("data-product"))
        .isEqualTo(ENROLLMENTS);
    assertThat(browser.findElement(By.id("lifecycle")).getText()).contains("ACTIVE");
    assertThat(browser.findElement(By.id("health")).getText()).contains("pass rate");
    choose("diff-left", "1");
    choose("diff-right", "2");
    await()
        .atMost(wait)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(browser.findElement(By.id("diff-summary")).getText())
                  .contains("between version 1 and version 2");
              assertThat(
                      browser.findElements(
                          By.cssSelector(
                              "#diff tr.diff-added td.right, #diff tr.diff-changed td.right")))
                  .anySatisfy(td -> assertThat(td.getText()).contains("consentVersion"));
              // The data rules, in words.
              assertThat(browser.findElement(By.id("rules")).getText())
                  .contains("age between 18 and 100")
                  .containsPattern("arm one of .*LOW_DOSE");
            });
    await()
        .atMost(wait)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              // What pharmacovigilance declared it reads, and the versions in the history.
              assertThat(
                      browser
                          .findElement(
                              By.cssSelector(
                                  "#subscribers tr[data-consumer='pharmacovigilance'] .fields"))
                          .getText())
                  .contains("enrollmentId", "arm");
              assertThat(
                      browser.findElements(
                          By.cssSelector("#history tr[data-kind='CONTRACT_VERSION']")))
                  .isNotEmpty();
            });
    // The whole product page, from the top: a taller window for the picture.
    if (screenshots != null) {
      var size = browser.manage().window().getSize();
      browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1700));
      ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
      shoot("console-product.png");
      browser.manage().window().setSize(size);
    }
  }

  void followTheLineageTwoHops() throws IOException {
    // From the enrollments, downstream to the adverse events that read them...
    clickLineageNode(ADVERSE_EVENTS);
    awaitProduct(ADVERSE_EVENTS);
    choose("lineage-depth", "2");
    awaitLineageNode(BATCHES);
    WebElement lineage = browser.findElement(By.id("lineage"));
    new org.openqa.selenium.interactions.Actions(browser).scrollToElement(lineage).perform();
    if (screenshots != null) {
      Path shot = lineage.getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(
          shot, screenshots.resolve("console-lineage.png"), StandardCopyOption.REPLACE_EXISTING);
    }
    // ...and upstream from there to the batch releases, the other input.
    clickLineageNode(BATCHES);
    awaitProduct(BATCHES);
    // pharmacovigilance's problem report, its thread, and the failing cold-room check drawn.
    await()
        .atMost(wait)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(browser.findElements(By.cssSelector("#health-chart svg circle")))
                  .isNotEmpty();
              assertThat(browser.findElement(By.id("issues")).getText())
                  .contains("Batch releases may have been stored too warm");
            });
    WebElement issue = browser.findElement(By.cssSelector("#issues details.issue summary"));
    new org.openqa.selenium.interactions.Actions(browser).scrollToElement(issue).perform();
    issue.click();
    await()
        .atMost(wait)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(browser.findElement(By.cssSelector("#issues .thread")).getText())
                    .contains("cold-room check"));
  }

  /**
   * On the owner's page with its notifications live, another domain asks to subscribe (over the
   * API, as that domain's service would): the request arrives live and is approved with a click.
   */
  void approveASubscriptionRequestThatArrivesLive(HttpClient http) throws Exception {
    browser.get(registry + "/console#/domain/pharmacovigilance");
    await()
        .atMost(wait)
        .ignoreExceptions()
        .until(() -> "live".equals(browser.findElement(By.id("stream-state")).getText()));
    var request =
        HttpRequest.newBuilder(
                URI.create(registry + "/products/" + ADVERSE_EVENTS + "/subscriptions"))
            .header("X-Mesh-Domain", "supply-chain")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"purpose\": \"recall tracing\"}"))
            .build();
    assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(201);
    await()
        .atMost(wait)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        browser.findElements(
                            By.cssSelector(
                                "#notification-list li.live[data-type='SUBSCRIPTION_REQUESTED']")))
                    .anySatisfy(li -> assertThat(li.getText()).contains("supply-chain")));
    By pending =
        By.cssSelector(
            "#pending tr[data-product='"
                + ADVERSE_EVENTS
                + "'][data-consumer='supply-chain'] button.approval");
    await().atMost(wait).ignoreExceptions().until(() -> browser.findElement(pending).isDisplayed());
    browser.findElement(pending).click();
    await()
        .atMost(wait)
        .ignoreExceptions()
        .until(
            () ->
                browser
                    .findElement(By.cssSelector("tr[data-consumer='supply-chain']"))
                    .getAttribute("data-state")
                    .equals("APPROVED"));
    var subscribers =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(registry + "/products/" + ADVERSE_EVENTS + "/subscribers"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(subscribers.body())
        .containsPattern("\"consumerDomain\":\"supply-chain\",\"state\":\"APPROVED\"");
  }

  private void clickLineageNode(String product) {
    By node = By.cssSelector("#lineage-graph g.node[data-product='" + product + "']");
    await().atMost(wait).ignoreExceptions().until(() -> browser.findElement(node).isDisplayed());
    browser.findElement(node).click();
  }

  private void awaitLineageNode(String product) {
    By node = By.cssSelector("#lineage-graph g.node[data-product='" + product + "']");
    await().atMost(wait).ignoreExceptions().until(() -> browser.findElement(node).isDisplayed());
  }

  private void awaitProduct(String product) {
    await()
        .atMost(wait)
        .ignoreExceptions()
        .until(
            () ->
                product.equals(browser.findElement(By.id("product")).getAttribute("data-product")));
  }

  private WebElement waitFor(By by, Duration timeout) {
    return await()
        .atMost(timeout)
        .ignoreExceptions()
        .until(() -> browser.findElement(by), e -> e != null);
  }

  /** Picks an option of a select, as a click does (so the page hears "change"). */
  private void choose(String select, String value) {
    browser.findElement(By.cssSelector("#" + select + " option[value='" + value + "']")).click();
  }

  private void clear(WebElement input) {
    input.clear();
    input.sendKeys(" ");
    input.sendKeys(org.openqa.selenium.Keys.BACK_SPACE);
  }

  private WebElement row(String product) {
    return browser.findElement(By.cssSelector("#results tr[data-product='" + product + "']"));
  }

  private List<String> rows() {
    return browser.findElements(By.cssSelector("#results tr.result")).stream()
        .map(r -> r.getAttribute("data-product"))
        .toList();
  }

  private void awaitRows(java.util.function.Predicate<List<String>> expected) {
    awaitRows(expected, wait);
  }

  private void awaitRows(java.util.function.Predicate<List<String>> expected, Duration timeout) {
    await().atMost(timeout).ignoreExceptions().until(() -> expected.test(rows()));
  }

  private void shoot(String name) throws IOException {
    if (screenshots == null) {
      return;
    }
    Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, screenshots.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
