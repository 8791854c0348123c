package dev.meshbone.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * A request's id and product id reach the MDC of the thread its controller runs on, and the JSON
 * log format ({@code MESHBONE_LOG_FORMAT=json}) writes them as fields.
 */
class RequestLogContextTest {
  @Test
  void shouldTakeTheProductIdFromAProductPath() {
    assertThat(RequestLogContext.productId("/products/clinical-trials.enrollments/lineage"))
        .isEqualTo("clinical-trials.enrollments");
    assertThat(RequestLogContext.productId("/products")).isNull();
    assertThat(RequestLogContext.productId("/products/not a product")).isNull();
    assertThat(RequestLogContext.productId("/subjects/x-value")).isNull();
  }

  @Test
  void shouldPutTheRequestAndProductIdInTheMdcOfTheControllersThread() throws Exception {
    try (var server =
        ApplicationContext.run(
            EmbeddedServer.class,
            Map.of(
                "micronaut.server.port", -1,
                "meshbone.security.enabled", false,
                "request-log-context-test", true))) {
      var http = HttpClient.newHttpClient();
      HttpResponse<String> given =
          http.send(
              HttpRequest.newBuilder(URI.create(server.getURI() + "/products/sales.orders"))
                  .header(RequestLogContext.HEADER, "req-42")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(given.body()).isEqualTo("req-42 sales.orders");
      assertThat(given.headers().firstValue(RequestLogContext.HEADER)).hasValue("req-42");

      HttpResponse<String> made =
          http.send(
              HttpRequest.newBuilder(URI.create(server.getURI() + "/products/sales.orders"))
                  .header(RequestLogContext.HEADER, "not a token")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      String id = made.headers().firstValue(RequestLogContext.HEADER).orElseThrow();
      assertThat(id).isNotEqualTo("not a token").hasSize(36);
      assertThat(made.body()).isEqualTo(id + " sales.orders");
    }
  }

  @Test
  void shouldLogJsonWithTheMdcWhenAskedTo() throws Exception {
    var out = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    var context = new LoggerContext();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      // The MDC that org.slf4j.MDC writes to is the logging system's; share it.
      context.setMDCAdapter(
          ((LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory()).getMDCAdapter());
      context.putProperty("MESHBONE_LOG_FORMAT", "json");
      var configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(getClass().getResource("/logback.xml"));
      MDC.put(RequestLogContext.REQUEST_ID, "req-7");
      MDC.put(RequestLogContext.PRODUCT_ID, "sales.orders");
      context.getLogger("meshbone.test").info("hello");
    } finally {
      MDC.clear();
      context.stop();
      System.setOut(stdout);
    }
    String line = out.toString(StandardCharsets.UTF_8).strip();
    assertThat(line)
        .startsWith("{")
        .contains("\"level\":\"INFO\"")
        .contains("\"message\":\"hello\"")
        .contains("\"requestId\":\"req-7\"")
        .contains("\"productId\":\"sales.orders\"");
  }

  /** Answers with what the MDC holds on the blocking thread the controller runs on. */
  @Controller("/products")
  @Requires(property = "request-log-context-test")
  static class Echo {
    @Get("/{id}")
    @ExecuteOn(TaskExecutors.BLOCKING)
    String echo(String id) {
      return MDC.get(RequestLogContext.REQUEST_ID) + " " + MDC.get(RequestLogContext.PRODUCT_ID);
    }
  }
}
