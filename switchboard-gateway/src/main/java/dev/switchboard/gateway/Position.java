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
}
