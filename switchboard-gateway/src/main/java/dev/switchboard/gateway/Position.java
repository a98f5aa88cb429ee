package dev.switchboard.gateway;

import java.util.Objects;

/**
 * Where a stream stands: the offset of its latest notification (0 before the first) within its
 * epoch. The epoch is a short string that changes whenever the stream's history is lost (the
 * in-memory engine restarted, the stream was evicted to make room); offsets are comparable only
 * within one epoch.
 */
public record Position(StreamId stream, long offset, String epoch) {

  public Position {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(epoch, "epoch");
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be 0 or more, got " + offset);
    }
  }

  /**
   * A fresh epoch: 8 random characters of [0-9a-z], drawn for a stream made now (every engine's
   * streams draw theirs here, so they look alike).
   */
  public static String newEpoch() {
    java.util.concurrent.ThreadLocalRandom random =
        java.util.concurrent.ThreadLocalRandom.current();
    StringBuilder out = new StringBuilder(8);
    for (int i = 0; i < 8; i++) {
      out.append(Character.forDigit(random.nextInt(36), 36));
    }
    return out.toString();
  }
}
