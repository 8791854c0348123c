package dev.meshbone.runtime.access;

/** Who creates the mesh's own topics, which decides whether the services may create them. */
public enum TopicCreation {
  /**
   * The services create missing mesh topics at start ({@code meshbone.create-topics=true}, the
   * default, and the local mesh): each service may create topics under {@code mesh.}.
   */
  SERVICES,
  /**
   * An operator creates them, e.g. from Strimzi {@code KafkaTopic} resources ({@code
   * meshbone.create-topics=false}, deploy/kubernetes): no service may create a topic under {@code
   * mesh.}.
   */
  OPERATOR
}
