package dev.switchboard.gateway;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What travels with a notification besides its payload.
 *
 * @param source who sent it: {@code api} for the HTTP API
 * @param priority {@link Priority#NORMAL} unless the sender said otherwise
 * @param ttlSeconds how long the notification stays worth delivering, when the sender said
 *     (positive)
 * @param correlationId the sender's id for tracing, when given (at most 256 characters)
 */
public record Metadata(
    String source, Priority priority, OptionalLong ttlSeconds, Optional<String> correlationId) {

  public Metadata {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(ttlSeconds, "ttlSeconds");
    Objects.requireNonNull(correlationId, "correlationId");
    if (ttlSeconds.isPresent() && ttlSeconds.getAsLong() <= 0) {
      throw new IllegalArgumentException(
          "ttl must be a positive number of seconds, got " + ttlSeconds.getAsLong());
    }
    if (correlationId.isPresent() && correlationId.get().length() > 256) {
      throw new IllegalArgumentException(
          "correlation_id must be at most 256 characters, got " + correlationId.get().length());
    }
  }

  /** Normal priority, no TTL, no correlation id. */
  public static Metadata of(String source) {
    return new Metadata(source, Priority.NORMAL, OptionalLong.empty(), Optional.empty());
  }
}
