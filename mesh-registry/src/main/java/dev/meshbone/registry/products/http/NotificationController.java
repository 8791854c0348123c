package dev.meshbone.registry.products.http;

import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.notifications.NotificationHub;
import dev.meshbone.registry.products.query.CatalogQueries;
import dev.meshbone.registry.products.routing.RegistryRouter;
import dev.meshbone.registry.products.view.Dto.NotificationDto;
import dev.meshbone.registry.products.view.Dto.NotificationList;
import dev.meshbone.registry.products.view.Views;
import dev.meshbone.runtime.http.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * A domain's notifications: the latest ones (newest first), and a live server-sent-event stream.
 * Only the domain itself may read them.
 */
@Controller("/domains/{domain}/notifications")
@ExecuteOn(TaskExecutors.BLOCKING)
public class NotificationController {
  private static final int MAX_LIMIT = 200;
  private static final Duration HEARTBEAT = Duration.ofSeconds(20);

  private final Acting acting;
  private final RegistryRouter router;
  private final CatalogQueries queries;
  private final NotificationHub hub;

  public NotificationController(
      Acting acting, RegistryRouter router, CatalogQueries queries, NotificationHub hub) {
    this.acting = acting;
    this.router = router;
    this.queries = queries;
    this.hub = hub;
  }

  @Get
  public HttpResponse<?> recent(
      HttpRequest<?> request, @PathVariable String domain, @Nullable @QueryValue String limit) {
    String d = Ids.domain(domain);
    acting.require(request, d, "read the notifications of domain " + d);
    int max = limit(limit);
    return router.route(
        request,
        CatalogStores.RECENT_NOTIFICATIONS_STORE,
        d,
        null,
        partition ->
            HttpResponse.ok(new NotificationList(d, queries.notifications(partition, d, max))));
  }

  /**
   * Live notifications as server-sent events: event name = notification type, id = notification id,
   * data = the notification. With {@code Last-Event-ID} (as a reconnecting browser sends), the
   * notifications after that one are sent first, from the latest ones the registry keeps. A {@code
   * heartbeat} event at once (the stream is live from then on) and every 20 s after keeps idle
   * connections open through proxies.
   */
  @Get("/stream")
  @Produces(MediaType.TEXT_EVENT_STREAM)
  public Publisher<Event<?>> stream(
      HttpRequest<?> request,
      @PathVariable String domain,
      @Nullable @Header("Last-Event-ID") String lastEventId) {
    String d = Ids.domain(domain);
    acting.require(request, d, "read the notifications of domain " + d);
    // Follow the live stream before reading the backlog, so nothing falls between the two.
    Sinks.Many<NotificationDto> buffer = Sinks.many().unicast().onBackpressureBuffer();
    var live = hub.live(d).map(Views::notification).subscribe(buffer::tryEmitNext);
    List<NotificationDto> backlog =
        lastEventId == null ? List.of() : backlog(request, d, lastEventId);
    Set<String> sent = new HashSet<>();
    backlog.forEach(n -> sent.add(n.id()));
    Flux<Event<?>> notifications =
        Flux.concat(Flux.fromIterable(backlog), buffer.asFlux().filter(n -> !sent.contains(n.id())))
            .map(n -> Event.of(n).id(n.id()).name(n.type()));
    Flux<Event<?>> heartbeats =
        Flux.interval(Duration.ZERO, HEARTBEAT)
            .map(i -> Event.of(new Heartbeat(d)).name("heartbeat"));
    return Flux.merge(notifications, heartbeats).doFinally(signal -> live.dispose());
  }

  /** The heartbeat event's data. */
  @io.micronaut.serde.annotation.Serdeable
  public record Heartbeat(String domain) {}

  private List<NotificationDto> backlog(HttpRequest<?> request, String domain, String lastEventId) {
    var location = router.locate(CatalogStores.RECENT_NOTIFICATIONS_STORE, domain);
    List<NotificationDto> newestFirst;
    if (location.local()) {
      newestFirst = queries.notifications(location.partition(), domain, MAX_LIMIT);
    } else {
      newestFirst =
          router
              .callGet(
                  location.host(),
                  "/domains/" + domain + "/notifications?limit=" + MAX_LIMIT,
                  request,
                  io.micronaut.core.type.Argument.of(NotificationList.class))
              .notifications();
    }
    List<NotificationDto> after = new ArrayList<>();
    for (NotificationDto n : newestFirst) {
      if (n.id().equals(lastEventId)) {
        break;
      }
      after.add(0, n);
    }
    // An id the registry no longer keeps (or never sent): start from the live stream.
    return after.size() == newestFirst.size() ? List.of() : after;
  }

  private static int limit(String value) {
    if (value == null || value.isBlank()) {
      return 50;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw ApiException.badRequest(
        "INVALID_PAGING", "limit must be a whole number from 1 to " + MAX_LIMIT);
  }
}
