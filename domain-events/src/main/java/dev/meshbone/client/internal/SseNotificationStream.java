package dev.meshbone.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshbone.client.MeshNotification;
import dev.meshbone.client.NotificationStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link NotificationStream} over the registry's server-sent events, on a thread of its own that
 * reads, parses and calls the listener, reconnecting with {@code Last-Event-ID} when the connection
 * drops or goes silent for longer than {@link #SILENCE} (the registry sends a heartbeat every 20
 * s).
 */
public final class SseNotificationStream implements NotificationStream {
  private static final Logger LOG = LoggerFactory.getLogger(SseNotificationStream.class);
  static final Duration SILENCE = Duration.ofSeconds(60);
  private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
  private static final Duration MAX_WAIT = Duration.ofSeconds(30);
  private static final int REMEMBERED_IDS = 1000;

  private final RegistryHttp http;
  private final String path;
  private final Consumer<MeshNotification> listener;
  private final Thread thread;
  private final AtomicLong delivered = new AtomicLong();
  private final Set<String> seen = new LinkedHashSet<>();
  private volatile boolean running = true;
  private volatile boolean connected;
  private volatile InputStream current;
  private volatile long lastActivity = System.nanoTime();
  private String lastEventId;
  private ScheduledFuture<?> silenceCheck;

  public SseNotificationStream(
      RegistryHttp http, String domain, Consumer<MeshNotification> listener) {
    this.http = http;
    this.path = "/domains/" + RegistryHttp.segment(domain) + "/notifications/stream";
    this.listener = listener;
    this.thread = new Thread(this::run, "meshbone-notifications-" + domain);
    thread.setDaemon(true);
  }

  /**
   * Starts reading; called once by the client. {@code watchdog} checks every 10 s that the
   * connection is not silent.
   */
  public SseNotificationStream start(ScheduledExecutorService watchdog) {
    silenceCheck = watchdog.scheduleWithFixedDelay(this::checkSilence, 10, 10, TimeUnit.SECONDS);
    thread.start();
    return this;
  }

  private void run() {
    Duration wait = FIRST_WAIT;
    int failures = 0;
    while (running) {
      try {
        Map<String, String> headers = new LinkedHashMap<>();
        if (lastEventId != null) {
          headers.put("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = http.openStream(path, headers);
        if (response.statusCode() != 200) {
          String body;
          try (InputStream in = response.body()) {
            body = new String(in.readNBytes(2000), StandardCharsets.UTF_8);
          }
          throw new IOException("HTTP " + response.statusCode() + " " + body);
        }
        current = response.body();
        connected = true;
        lastActivity = System.nanoTime();
        if (failures > 0) {
          LOG.info("notification stream of {} reconnected to {}", path, http.base());
        }
        failures = 0;
        wait = FIRST_WAIT;
        read(response.body());
      } catch (IOException e) {
        if (running) {
          failures++;
          // The first drop is routine (a registry restart); a lasting outage deserves a warning.
          String message = "notification stream at {}{} is down ({}); reconnecting in {} ms";
          if (failures >= 5) {
            LOG.warn(message, http.base(), path, e.getMessage(), wait.toMillis());
          } else {
            LOG.info(message, http.base(), path, e.getMessage(), wait.toMillis());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (running) {
          failures++;
          LOG.warn("notification stream at {}{} failed; reconnecting", http.base(), path, e);
        }
      } finally {
        connected = false;
        closeCurrent();
      }
      if (!running) {
        return;
      }
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      wait = wait.multipliedBy(2).compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait.multipliedBy(2);
    }
  }

  /** Reads events until the stream ends; each complete event is handed on. */
  private void read(InputStream in) throws IOException {
    var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String event = null;
    String id = null;
    StringBuilder data = new StringBuilder();
    String line;
    while (running && (line = reader.readLine()) != null) {
      lastActivity = System.nanoTime();
      if (line.isEmpty()) {
        if (data.length() > 0) {
          dispatch(event, id, data.toString());
        }
        event = null;
        id = null;
        data.setLength(0);
      } else if (line.startsWith(":")) {
        // a comment
      } else {
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        switch (field) {
          case "event" -> event = value;
          case "id" -> id = value;
          case "data" -> {
            if (data.length() > 0) {
              data.append('\n');
            }
            data.append(value);
          }
          default -> {
            // retry and unknown fields are ignored, as browsers do
          }
        }
      }
    }
  }

  private void dispatch(String event, String id, String data) {
    if ("heartbeat".equals(event)) {
      return;
    }
    JsonNode json = RegistryHttp.parse(data);
    if (!json.isObject()) {
      LOG.info("notification stream: skipped an event that is not JSON: {}", data);
      return;
    }
    MeshNotification notification = ProductRegistry.notification(json);
    String key = id != null ? id : notification.id();
    if (key != null) {
      lastEventId = key;
      if (!seen.add(key)) {
        return;
      }
      if (seen.size() > REMEMBERED_IDS) {
        var it = seen.iterator();
        it.next();
        it.remove();
      }
    }
    delivered.incrementAndGet();
    try {
      listener.accept(notification);
    } catch (RuntimeException e) {
      LOG.warn("the notification listener failed on {}; the stream goes on", notification.id(), e);
    }
  }

  /** Drops a connection that has been silent too long (no heartbeat), so the loop reconnects. */
  void checkSilence() {
    if (connected && System.nanoTime() - lastActivity > SILENCE.toNanos()) {
      LOG.info(
          "notification stream at {}{} silent for {} s; reconnecting",
          http.base(),
          path,
          SILENCE.toSeconds());
      closeCurrent();
    }
  }

  private void closeCurrent() {
    InputStream in = current;
    current = null;
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // closing a dead connection
      }
    }
  }

  @Override
  public boolean isConnected() {
    return connected;
  }

  @Override
  public long delivered() {
    return delivered.get();
  }

  @Override
  public void close() {
    running = false;
    if (silenceCheck != null) {
      silenceCheck.cancel(false);
    }
    closeCurrent();
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
