package dev.meshbone.registry.products.catalog;

import dev.meshbone.events.Notification;
import dev.meshbone.serde.MeshEventSerde;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/**
 * The latest notifications of one domain, newest first, at most {@link #LIMIT}: the value of {@link
 * CatalogStores#RECENT_NOTIFICATIONS_STORE}. A notification that arrives again with the same id
 * replaces the one held, so replays do not show twice.
 */
public record RecentNotifications(List<Notification> newestFirst) {
  /** How many notifications a domain can read back; older ones stay on the topic only. */
  public static final int LIMIT = 200;

  private static final MeshEventSerde<Notification> NOTIFICATION =
      MeshEventSerde.of(Notification.class);

  public RecentNotifications {
    newestFirst = List.copyOf(newestFirst);
  }

  public RecentNotifications add(Notification notification) {
    var list = new ArrayList<Notification>(Math.min(newestFirst.size() + 1, LIMIT));
    list.add(notification);
    for (Notification n : newestFirst) {
      if (list.size() >= LIMIT) {
        break;
      }
      if (!n.getNotificationId().equals(notification.getNotificationId())) {
        list.add(n);
      }
    }
    return new RecentNotifications(list);
  }

  public static final Serde<RecentNotifications> SERDE =
      Codecs.serde(
          "recent notifications",
          new Codecs.Codec<>() {
            @Override
            public void write(DataOutputStream out, RecentNotifications value) throws IOException {
              out.writeInt(value.newestFirst().size());
              for (Notification n : value.newestFirst()) {
                Codecs.writeRecord(out, NOTIFICATION, n);
              }
            }

            @Override
            public RecentNotifications read(DataInputStream in) throws IOException {
              int n = in.readInt();
              if (n < 0 || n > 100_000) {
                throw new IOException("implausible notification count " + n);
              }
              var list = new ArrayList<Notification>(n);
              for (int i = 0; i < n; i++) {
                Notification item = Codecs.readRecord(in, NOTIFICATION);
                if (item != null) {
                  list.add(item);
                }
              }
              return new RecentNotifications(list);
            }
          });
}
