package dev.meshbone.quality.internal;

import dev.meshbone.events.ServiceLevels;
import dev.meshbone.quality.Refusal;
import dev.meshbone.quality.state.Slos;

/**
 * The service levels a product declares in its descriptor, as the monitor keeps them: each one that
 * cannot be evaluated (a share outside 0..1, a non-positive duration, a negative volume) is left
 * out and refused as INVALID_SLO; the others still count.
 */
final class DeclaredSlos {
  private DeclaredSlos() {}

  static Slos of(String productId, ServiceLevels declared, MonitorTask task) {
    var slos = Slos.newBuilder().build();
    if (declared == null) {
      return slos;
    }
    if (declared.getMaxStalenessMs() != null) {
      if (declared.getMaxStalenessMs() > 0) {
        slos.setMaxStalenessMs(declared.getMaxStalenessMs());
      } else {
        invalid(task, productId, "maxStalenessMs " + declared.getMaxStalenessMs());
      }
    }
    if (declared.getMinPassRate() != null) {
      if (isShare(declared.getMinPassRate())) {
        slos.setMinPassRate(declared.getMinPassRate());
      } else {
        invalid(task, productId, "minPassRate " + declared.getMinPassRate());
      }
    }
    if (declared.getMinVolume() != null) {
      if (declared.getMinVolume() >= 0) {
        slos.setMinVolume(declared.getMinVolume());
      } else {
        invalid(task, productId, "minVolume " + declared.getMinVolume());
      }
    }
    if (declared.getVolumeWindowMs() != null) {
      if (declared.getVolumeWindowMs() > 0) {
        slos.setVolumeWindowMs(declared.getVolumeWindowMs());
      } else {
        invalid(task, productId, "volumeWindowMs " + declared.getVolumeWindowMs());
      }
    }
    if (declared.getMaxRejectionRate() != null) {
      if (isShare(declared.getMaxRejectionRate())) {
        slos.setMaxRejectionRate(declared.getMaxRejectionRate());
      } else {
        invalid(task, productId, "maxRejectionRate " + declared.getMaxRejectionRate());
      }
    }
    return slos;
  }

  private static boolean isShare(double v) {
    return v >= 0 && v <= 1;
  }

  private static void invalid(MonitorTask task, String productId, String what) {
    task.refuse(Refusal.INVALID_SLO, productId, what + " cannot be evaluated; ignored");
  }
}
