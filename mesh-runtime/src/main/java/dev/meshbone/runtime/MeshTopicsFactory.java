package dev.meshbone.runtime;

import dev.meshbone.topics.MeshTopics;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The topic catalogue as this deployment sizes it ({@code meshbone.partitions}). */
@Factory
public class MeshTopicsFactory {
  @Singleton
  MeshTopics meshTopics(MeshSettings settings) {
    return MeshTopics.withPartitions(settings.partitions());
  }
}
