package dev.switchboard.gateway;

import java.time.Instant;
import java.util.UUID;

/**
 * The recent notifications of each channel, for recovery: a bounded, ordered stream per channel
 * ({@link DeliveryLimits#historySize()} notifications and {@link DeliveryLimits#historyTtl()} by
 * default, whichever is fewer). Part of a {@link DeliveryStore}.
 *
 * <p>Every method takes the current time instead of reading a clock. Thread-safe; the appends to
 * one channel are ordered, and each gets the next offset.
 */
public interface ChannelHistory {

  /**
   * Appends one notification to {@code channel}'s stream.
   *
   * @param message the bytes to keep and hand back on {@link #since}
   * @return the new top: the offset given to this notification and the stream's epoch
   */
  Position append(String channel, UUID notificationId, byte[] message, Instant now);

  /** Where {@code channel}'s stream stands (offset 0 and a fresh epoch when it has none yet). */
  Position position(String channel, Instant now);

  /**
   * Everything after {@code offset} of {@code epoch}: recovered when the epoch is the stream's and
   * every notification after {@code offset} is still kept. An offset beyond the top is not
   * recovered either (it was never given in this epoch).
   */
  Replay since(String channel, long offset, String epoch, Instant now);

  /** What is kept now: channels with a stream, notifications kept over all of them. */
  Totals totals(Instant now);

  /**
   * @param streams channels with a stream
   * @param entries notifications kept over all of them
   * @param evicted streams forgotten whole to stay within {@link DeliveryLimits#historyMaxChannels}
   */
  record Totals(long streams, long entries, long evicted) {}
}
