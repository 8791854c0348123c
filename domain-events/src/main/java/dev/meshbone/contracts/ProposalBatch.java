package dev.meshbone.contracts;

import dev.meshbone.serde.FramedList;

/**
 * Many contract proposals in one record of {@code mesh.contracts.proposals}, marked by the header
 * {@value #HEADER}: the registry's bulk onboarding sends a batch's proposals this way so
 * contract-validator decides them all in one exactly-once transaction, in the batch's order, rather
 * than one transaction each (Kafka Streams commits after every record of a task when a commit takes
 * longer than the commit interval, so one record is one transaction under load).
 *
 * <p>The value: the proposals as a {@link FramedList}, each encoded as a single proposal record's
 * value is. A record without the header is one proposal, as before.
 */
public final class ProposalBatch {
  /** The header that marks a batch; its value is the format version, {@code "1"}. */
  public static final String HEADER = "meshbone-proposal-batch";

  /** The format version written in {@link #HEADER}. */
  public static final byte[] VERSION = {'1'};

  /**
   * The largest batch value a writer makes, well under Kafka's default 1 MB record limit; a writer
   * splits bigger batches, and sends a proposal bigger than this alone.
   */
  public static final int MAX_BYTES = 512 * 1024;

  private ProposalBatch() {}
}
