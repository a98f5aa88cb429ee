package dev.switchboard.client;

import dev.switchboard.rpc.CloseReason;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A change of a {@link PushClient}'s state.
 *
 * @param state the new state
 * @param cause why the connection ended (its close code and reason), for {@code DISCONNECTED} and
 *     {@code CLOSED}
 * @param retryIn for {@code DISCONNECTED}: how long until the next attempt (the server's {@code
 *     reconnect_after_seconds} when it announced a shutdown, else the backoff's draw)
 */
public record StateChange(
    ConnectionState state, Optional<CloseReason> cause, Optional<Duration> retryIn) {
  public StateChange {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(retryIn, "retryIn");
  }
}
