package dev.meshbone.registry.products.catalog;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.kafka.common.serialization.Serde;

/**
 * One entry of a cross-partition index, keyed by what is indexed: {@link Kind#LINEAGE} under an
 * upstream product id says that {@code productId} reads from it (or no longer does); {@link
 * Kind#SUBJECT} under a schema subject says that {@code productId}'s contract lives under it;
 * {@link Kind#SUCCESSOR} under a product id says that {@code productId} names it as its successor.
 */
public record Link(Kind kind, String productId, boolean added) {
  public enum Kind {
    LINEAGE,
    SUBJECT,
    SUCCESSOR
  }

  public static final Serde<Link> SERDE =
      Codecs.serde(
          "index link",
          new Codecs.Codec<>() {
            @Override
            public void write(DataOutputStream out, Link value) throws IOException {
              out.writeByte(value.kind().ordinal());
              out.writeUTF(value.productId());
              out.writeBoolean(value.added());
            }

            @Override
            public Link read(DataInputStream in) throws IOException {
              int kind = in.readByte();
              if (kind < 0 || kind >= Kind.values().length) {
                throw new IOException("unknown link kind " + kind);
              }
              return new Link(Kind.values()[kind], in.readUTF(), in.readBoolean());
            }
          });
}
