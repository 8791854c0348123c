package dev.meshbone.quality.http;

import dev.meshbone.events.HealthState;
import dev.meshbone.runtime.http.ApiException;
import dev.meshbone.topics.Names;
import dev.meshbone.topics.ProductId;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * The quality API for SRE dashboards. Errors are JSON {@code {"code","message"}}: 404 {@code
 * PRODUCT_NOT_FOUND}, 400 for a malformed product id, domain, state or limit, 503 {@code NOT_READY}
 * while the monitor's state is being restored.
 *
 * <ul>
 *   <li>{@code GET /products/{id}}: current health and figures;
 *   <li>{@code GET /products/{id}/history?limit=50}: recent changes of state, newest first;
 *   <li>{@code GET /products?domain=&state=}: every monitored product;
 *   <li>{@code GET /summary?domain=}: counts by state, in all and per domain;
 *   <li>{@code GET /stream}: server-sent events: {@code hello} once, then {@code health} (a
 *       product's new health), {@code removed} (no longer monitored) and a {@code ping} every 15 s.
 * </ul>
 *
 * <p>{@code local=true} answers from this instance's state only; instances use it among themselves.
 */
@Controller
public class QualityController {
  static final int MAX_LIMIT = 1000;

  private final HealthQueries queries;
  private final HealthFeed feed;

  public QualityController(HealthQueries queries, HealthFeed feed) {
    this.queries = queries;
    this.feed = feed;
  }

  @Get("/products/{id}")
  public HealthView product(
      @PathVariable String id, @QueryValue(defaultValue = "false") boolean local) {
    return queries.health(productId(id), local);
  }

  @Get("/products/{id}/history")
  public List<HealthView> history(
      @PathVariable String id,
      @Nullable @QueryValue String limit,
      @QueryValue(defaultValue = "false") boolean local) {
    return queries.history(productId(id), limit(limit), local);
  }

  @Get("/products")
  public List<HealthView> products(
      @Nullable @QueryValue String domain,
      @Nullable @QueryValue String state,
      @QueryValue(defaultValue = "false") boolean local) {
    return queries.all(domain(domain), state(state), local);
  }

  @Get("/summary")
  public SummaryView summary(
      @Nullable @QueryValue String domain, @QueryValue(defaultValue = "false") boolean local) {
    return queries.summary(domain(domain), local);
  }

  @Get(value = "/stream", produces = MediaType.TEXT_EVENT_STREAM)
  public Publisher<Event<Object>> stream() {
    Flux<Event<Object>> changes =
        feed.changes()
            .map(
                c ->
                    c.health() == null
                        ? Event.<Object>of(Map.of("productId", c.productId())).name("removed")
                        : Event.<Object>of(HealthView.of(c.health())).name("health"));
    Flux<Event<Object>> pings =
        Flux.interval(Duration.ofSeconds(15))
            .map(i -> Event.<Object>of(Map.of("at", Instant.now().toString())).name("ping"));
    Event<Object> hello =
        Event.<Object>of(Map.of("at", Instant.now().toString(), "live", feed.isLive()))
            .name("hello");
    return Flux.merge(Flux.just(hello), changes, pings);
  }

  private static String productId(String id) {
    if (!ProductId.isValid(id)) {
      throw ApiException.badRequest(
          "INVALID_PRODUCT_ID",
          "'"
              + (id.length() > 80 ? id.substring(0, 80) + "..." : id)
              + "' is not a product id: <domain>.<product>, each part "
              + Names.RULE);
    }
    return id;
  }

  private static String domain(String domain) {
    if (domain == null || domain.isEmpty()) {
      return null;
    }
    if (!Names.isValidDomain(domain)) {
      throw ApiException.badRequest(
          "INVALID_DOMAIN", "'" + domain + "' is not a domain name: " + Names.RULE);
    }
    return domain;
  }

  private static HealthState state(String state) {
    if (state == null || state.isEmpty()) {
      return null;
    }
    try {
      return HealthState.valueOf(state.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "INVALID_STATE",
          "'" + state + "' is not a health state: one of " + List.of(HealthState.values()));
    }
  }

  private static int limit(String limit) {
    if (limit == null || limit.isEmpty()) {
      return 50;
    }
    try {
      int n = Integer.parseInt(limit.trim());
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest(
        "INVALID_LIMIT",
        "limit must be a whole number from 1 to " + MAX_LIMIT + ", not '" + limit + "'");
  }
}
