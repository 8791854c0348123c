package dev.meshbone.quality;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import java.util.HashMap;

/** Builds {@link QualitySettings} from the {@code meshbone.quality.*} properties. */
@Factory
public class QualityConfiguration {
  @Singleton
  QualitySettings qualitySettings(Environment environment) {
    // Each setting asked for by name: Micronaut resolves MESHBONE_QUALITY_WINDOW for
    // meshbone.quality.window but does not list environment variables among the properties.
    var values = new HashMap<String, Object>();
    for (String key : QualitySettings.keys()) {
      environment
          .getProperty(QualitySettings.PREFIX + "." + key, String.class)
          .ifPresent(v -> values.put(key, v));
    }
    return QualitySettings.fromMap(values);
  }
}
