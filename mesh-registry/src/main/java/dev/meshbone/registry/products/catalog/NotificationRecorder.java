package dev.meshbone.registry.products.catalog;

import dev.meshbone.events.Notification;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each domain's latest notifications from {@code mesh.notifications} in {@link
 * CatalogStores#RECENT_NOTIFICATIONS_STORE}, so {@code GET /domains/{domain}/notifications} answers
 * from a store, whichever instance sent them.
 */
public final class NotificationRecorder implements Processor<String, Notification, Void, Void> {
  private KeyValueStore<String, RecentNotifications> recent;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.recent = context.getStateStore(CatalogStores.RECENT_NOTIFICATIONS_STORE);
  }

  @Override
  public void process(Record<String, Notification> record) {
    Notification n = record.value();
    if (n == null || record.key() == null) {
      return;
    }
    RecentNotifications current = recent.get(record.key());
    if (current == null) {
      current = new RecentNotifications(List.of());
    }
    recent.put(record.key(), current.add(n));
  }
}
