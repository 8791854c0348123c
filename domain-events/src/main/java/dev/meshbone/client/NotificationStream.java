package dev.meshbone.client;

/**
 * This domain's notifications as they happen, handed one at a time to the listener given to {@link
 * MeshClient#notifications}, from the registry's server-sent-event stream ({@code GET
 * /domains/{domain}/notifications/stream}).
 *
 * <p><b>Ordering and threads.</b> The listener is called on one thread the stream owns, in the
 * order the registry sends, never concurrently; a slow listener holds the stream back. A listener
 * that throws is logged and the stream goes on.
 *
 * <p><b>Delivery.</b> Live from the moment the stream connects (read older ones with {@link
 * MeshClient#recentNotifications}). When the connection drops, the stream reconnects on its own
 * (waiting 1 s, doubling to 30 s) and asks for what it missed with {@code Last-Event-ID}; the
 * registry keeps each domain's latest 200, so only a longer outage loses notifications. A
 * notification is never handed over twice in one stream.
 *
 * <p>Closing it stops the thread and the connection; it is not restarted.
 */
public interface NotificationStream extends AutoCloseable {

  /** Whether the stream is connected to the registry now. */
  boolean isConnected();

  /** How many notifications the listener was given so far. */
  long delivered();

  @Override
  void close();
}
