package dev.meshbone.registry.products.catalog;

import dev.meshbone.events.Subscription;
import dev.meshbone.serde.MeshEventSerde;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.kafka.common.serialization.Serde;

/**
 * A change of one consumer's subscription to a product, re-keyed by product id: the new state, or
 * null when the subscription's key on {@code mesh.subscriptions} was deleted (a tombstone, which
 * carries no value to name the consumer, so the consumer travels beside it).
 */
public record SubscriptionChange(String consumerDomain, Subscription subscription) {
  private static final MeshEventSerde<Subscription> SUBSCRIPTION =
      MeshEventSerde.of(Subscription.class);

  public static final Serde<SubscriptionChange> SERDE =
      Codecs.serde(
          "subscription change",
          new Codecs.Codec<>() {
            @Override
            public void write(DataOutputStream out, SubscriptionChange value) throws IOException {
              out.writeUTF(value.consumerDomain());
              Codecs.writeRecord(out, SUBSCRIPTION, value.subscription());
            }

            @Override
            public SubscriptionChange read(DataInputStream in) throws IOException {
              return new SubscriptionChange(in.readUTF(), Codecs.readRecord(in, SUBSCRIPTION));
            }
          });
}
