package dev.meshbone.topics;

/**
 * An existing topic whose configuration contradicts the mesh's declaration of it, such as a
 * compacted topic created with {@code cleanup.policy=delete}. The apps refuse to start on one: the
 * mesh would silently lose data or order if they ran on it.
 */
public final class TopicContradictionException extends RuntimeException {
  public TopicContradictionException(String message) {
    super(message);
  }
}
