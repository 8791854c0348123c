package dev.meshbone.quality.internal;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.quality.state.MonitorState;
import dev.meshbone.quality.state.Slos;
import java.util.ArrayList;
import java.util.HashMap;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * {@code mesh.products}: which products exist and the service levels they declare. A product's
 * first record starts its monitoring; RETIRED, or a tombstone, stops it (its alerts clear, its
 * status is deleted).
 */
final class ProductsInput implements MonitorIntake.Input<DataProductEvent> {
  private final MonitorTask task;
  private final Deserializer<DataProductEvent> decoder;

  ProductsInput(MonitorTask task, Deserializer<DataProductEvent> decoder) {
    this.task = task;
    this.decoder = decoder;
  }

  @Override
  public String what() {
    return "product event";
  }

  @Override
  public Deserializer<DataProductEvent> decoder() {
    return decoder;
  }

  @Override
  public String productId(DataProductEvent event) {
    return event.getProductId();
  }

  @Override
  public void onTombstone(MonitorTask task, String key, long now) {
    task.retire(key, now, "product deleted from " + task.topic() + "; monitoring stopped");
    task.accepted();
  }

  @Override
  public void onEvent(String key, DataProductEvent event, long now) {
    if (event.getStatus() == LifecycleStatus.RETIRED) {
      task.retire(key, now, "product retired; monitoring stopped");
      task.accepted();
      return;
    }
    MonitorState state = task.state(key);
    if (state == null) {
      state =
          MonitorState.newBuilder()
              .setProductId(key)
              .setSlos(Slos.newBuilder().build())
              .setMonitoredSince(now)
              .setSlices(new ArrayList<>())
              .setAlerts(new HashMap<>())
              .build();
    }
    if (event.getDescriptor() != null) {
      state.setSlos(DeclaredSlos.of(key, event.getDescriptor().getSlos(), task));
    }
    task.accepted();
    task.evaluateAndWrite(state, task.streamTime(), now, true);
  }
}
