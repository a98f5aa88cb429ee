package dev.switchboard.redis;

/**
 * What one node's {@link AraTriggers} did since it started, for {@code /stats} and metrics. Summed
 * over the nodes, {@code received} counts each trigger published while a node held the lease once.
 *
 * @param received triggers heard while this node held the lease (the ones it is responsible for)
 * @param handled triggers sent, the sink having completed
 * @param malformed messages that were not triggers (logged at WARN)
 * @param failed triggers the sink failed to send, or refused at once
 * @param dropped triggers refused because the queue was full (logged at WARN)
 * @param ignored messages heard while another node held the lease (that node handles them)
 * @param leaseHeld whether this node holds the lease now
 */
public record TriggerStats(
    long received,
    long handled,
    long malformed,
    long failed,
    long dropped,
    long ignored,
    boolean leaseHeld) {}
