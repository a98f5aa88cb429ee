package dev.switchboard.gateway;

/**
 * How much an {@link Outbox} holds.
 *
 * @param maxMessages messages waiting for the socket (default 1,000)
 * @param maxBytes bytes waiting for the socket (default 4 MiB)
 * @param windowBytes bytes handed to the socket and not yet written out (default 64 KiB); the
 *     socket takes more only as it writes
 */
public record OutboxLimits(int maxMessages, long maxBytes, int windowBytes) {

  public static final OutboxLimits DEFAULTS = new OutboxLimits(1_000, 4L << 20, 64 << 10);

  public OutboxLimits {
    if (maxMessages < 1) {
      throw new IllegalArgumentException(
          "outbound queue messages must be at least 1, got " + maxMessages);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException(
          "outbound queue bytes must be at least 1, got " + maxBytes);
    }
    if (windowBytes < 1) {
      throw new IllegalArgumentException(
          "outbound window bytes must be at least 1, got " + windowBytes);
    }
  }
}
