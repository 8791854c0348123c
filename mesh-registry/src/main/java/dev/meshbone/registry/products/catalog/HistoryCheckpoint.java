package dev.meshbone.registry.products.catalog;

import dev.meshbone.events.ProductChange;
import dev.meshbone.serde.MeshEventSerde;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.kafka.common.serialization.Serde;

/**
 * A product's history folded up to change {@code state.seq}, kept every {@link
 * ProductHistory#CHECKPOINT_EVERY} changes in {@link CatalogStores#HISTORY_CHECKPOINT_STORE}, so an
 * "as of" read starts from the latest checkpoint before its instant instead of the first change.
 *
 * @param state what a reader replaying every change up to {@code state.seq} knows, in the
 *     baseline's shape (absolute values: the product snapshot, contract version, health,
 *     subscriptions' and open issues' states); its {@code at} is change {@code seq}'s
 * @param maxAt the latest {@code at} of every change folded in: the checkpoint answers a read at or
 *     after it
 * @param blockMinAt the earliest {@code at} of the changes since the previous checkpoint: a read
 *     before it takes none of them
 */
public record HistoryCheckpoint(ProductChange state, long maxAt, long blockMinAt) {
  private static final MeshEventSerde<ProductChange> CHANGE =
      MeshEventSerde.of(ProductChange.class);

  public static final Serde<HistoryCheckpoint> SERDE =
      Codecs.serde(
          "history checkpoint",
          new Codecs.Codec<>() {
            @Override
            public void write(DataOutputStream out, HistoryCheckpoint value) throws IOException {
              Codecs.writeRecord(out, CHANGE, value.state());
              out.writeLong(value.maxAt());
              out.writeLong(value.blockMinAt());
            }

            @Override
            public HistoryCheckpoint read(DataInputStream in) throws IOException {
              ProductChange state = Codecs.readRecord(in, CHANGE);
              return new HistoryCheckpoint(state, in.readLong(), in.readLong());
            }
          });
}
