package dev.meshbone.client;

/**
 * Where a control event (a quality result) was written.
 *
 * @param eventId the event's id; contract-validator drops a repeat of it
 * @param topic the domain's control topic, e.g. {@code <domain>.mesh.quality-events}
 * @param partition its partition
 * @param offset its offset
 */
public record PublishedEvent(String eventId, String topic, int partition, long offset) {}
