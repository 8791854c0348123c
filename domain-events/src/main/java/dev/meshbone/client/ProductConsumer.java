package dev.meshbone.client;

import java.time.Duration;
import java.util.List;

/**
 * Reads a product's validated topic ({@code <domain>.<product>}) as a subscriber: only records
 * contract-validator accepted, read into the consumer's type, committed by a consumer group of the
 * subscribing domain ({@code <domain>.<name>}). Made by {@link MeshClient#consume}.
 *
 * <p><b>Ordering.</b> Records of one key arrive in the order they were published (one key, one
 * partition); records of different keys have no order between them.
 *
 * <p><b>Delivery: at least once.</b> The records one {@link #poll} returns are committed when
 * {@link #poll} is called again, on {@link #commit()} and on {@link #close()}; a consumer that
 * stops before that reads them again when it comes back (a new group starts at the beginning of the
 * topic). Only records of committed transactions are read ({@code read_committed}).
 *
 * <p><b>Blocking.</b> {@link #poll} blocks up to its timeout for records, and commits block up to
 * {@code meshbone.client.broker-timeout}. Not thread-safe, like Kafka's consumer: use it from one
 * thread; {@link #wakeup()} may be called from another to end a blocked poll.
 *
 * <p><b>Failures.</b> A record that cannot be read into the consumer's type (a contract version the
 * reader's class cannot read) makes {@link #poll} throw {@link RecordEncodingException} at that
 * record, and again on every later poll: nothing is skipped silently; update the reader's class. An
 * unreachable cluster throws {@link BrokerUnavailableException}.
 */
public interface ProductConsumer<V> extends AutoCloseable {

  /** The product read. */
  String productId();

  /**
   * The next records, waiting up to {@code timeout} for some; empty when none came. Commits what
   * the previous poll returned first.
   */
  List<ProductRecord<V>> poll(Duration timeout);

  /** Commits what the polls so far returned, now. */
  void commit();

  /** Ends a {@link #poll} blocked in another thread (it throws {@code WakeupException}). */
  void wakeup();

  /** Commits what was returned and leaves the group. */
  @Override
  void close();
}
