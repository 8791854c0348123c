package dev.meshbone.quality;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;

/** Builds {@link QualitySettings} from the {@code meshbone.quality.*} properties. */
@Factory
public class QualityConfiguration {
  @Singleton
  QualitySettings qualitySettings(Environment environment) {
    return QualitySettings.fromMap(
        environment.getProperties(QualitySettings.PREFIX, StringConvention.RAW));
  }
}
