package dev.meshbone.local.demo;

import dev.meshbone.client.MeshClientException;
import dev.meshbone.client.ProductConsumer;
import dev.meshbone.client.ProductRecord;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A thread that reads one product (or its dead letters) with the SDK and hands each record to a
 * handler, as a domain service's consumer loop would; {@link #close()} stops it.
 */
final class Reader<V> implements AutoCloseable {
  private final String domain;
  private final Supplier<ProductConsumer<V>> open;
  private final Consumer<ProductRecord<V>> handler;
  private final Thread thread;
  private volatile ProductConsumer<V> consumer;
  private volatile boolean running = true;

  Reader(
      String domain,
      String name,
      Supplier<ProductConsumer<V>> open,
      Consumer<ProductRecord<V>> handler) {
    this.domain = domain;
    this.open = open;
    this.handler = handler;
    this.thread = new Thread(this::run, "demo-" + name);
    thread.setDaemon(true);
  }

  Reader<V> start() {
    thread.start();
    return this;
  }

  private void run() {
    while (running) {
      try (ProductConsumer<V> c = open.get()) {
        consumer = c;
        while (running) {
          for (ProductRecord<V> record : c.poll(Duration.ofSeconds(1))) {
            handler.accept(record);
          }
        }
      } catch (WakeupException e) {
        return;
      } catch (MeshClientException e) {
        if (!running) {
          return;
        }
        DemoLog.trouble(domain, "reading stopped, starting again in 5 s", e);
        pause();
      } finally {
        consumer = null;
      }
    }
  }

  private void pause() {
    try {
      Thread.sleep(5_000);
    } catch (InterruptedException e) {
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    ProductConsumer<V> c = consumer;
    if (c != null) {
      c.wakeup();
    } else {
      thread.interrupt(); // still waiting for the topic
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
