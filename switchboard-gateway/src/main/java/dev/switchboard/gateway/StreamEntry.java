package dev.switchboard.gateway;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One notification kept in a stream.
 *
 * @param offset its place in the stream, from 1
 * @param notificationId the notification's id
 * @param message the bytes the store was given (a whole JSON-RPC message); never modified
 * @param expiresAt when the store forgets it
 */
public record StreamEntry(long offset, UUID notificationId, byte[] message, Instant expiresAt) {

  public StreamEntry {
    if (offset < 1) {
      throw new IllegalArgumentException("offset must be 1 or more, got " + offset);
    }
    Objects.requireNonNull(notificationId, "notificationId");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
