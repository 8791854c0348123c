package dev.meshbone.registry.products;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A server-sent-event stream read on a thread of its own, event by event. */
final class SseClient implements AutoCloseable {
  /** One event: its name, id and data. */
  record SseEvent(String name, String id, String data) {}

  private final List<SseEvent> events = new CopyOnWriteArrayList<>();
  private final int status;
  private final Stream<String> lines;
  private final Thread reader;

  SseClient(String url, String... headers) throws Exception {
    var builder = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    HttpResponse<Stream<String>> response =
        HttpClient.newHttpClient()
            .sendAsync(builder.GET().build(), HttpResponse.BodyHandlers.ofLines())
            .get(30, TimeUnit.SECONDS);
    this.status = response.statusCode();
    this.lines = response.body();
    this.reader = new Thread(this::read, "sse-reader");
    this.reader.setDaemon(true);
    this.reader.start();
  }

  private void read() {
    String name = null;
    String id = null;
    List<String> data = new ArrayList<>();
    try {
      for (var it = lines.iterator(); it.hasNext(); ) {
        String line = it.next();
        if (line.isEmpty()) {
          if (!data.isEmpty() || name != null) {
            events.add(new SseEvent(name, id, String.join("\n", data)));
          }
          name = null;
          id = null;
          data = new ArrayList<>();
        } else if (line.startsWith("event:")) {
          name = line.substring(6).trim();
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("data:")) {
          data.add(line.substring(5).trim());
        }
      }
    } catch (RuntimeException closed) {
      // the test closed the stream
    }
  }

  int status() {
    return status;
  }

  List<SseEvent> events() {
    return List.copyOf(events);
  }

  List<SseEvent> notifications() {
    return events.stream().filter(e -> !"heartbeat".equals(e.name())).toList();
  }

  static Duration patience() {
    return Duration.ofSeconds(30);
  }

  @Override
  public void close() {
    lines.close();
  }
}
