package dev.switchboard.server;

import dev.switchboard.auth.Identity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When one connection's token runs out: at its {@code exp} plus the leeway ({@code
 * jwt.leeway_seconds}), the connection is ended by the action given (the server closes it with
 * {@link #CLOSE_CODE} "{@value #CLOSE_REASON}"), unless {@link #refresh} brought a token of the
 * same user and tenant first. An identity without {@code exp} (anonymous devices in development
 * mode, tokens without exp where the verifier allows them) never expires.
 *
 * <p>Lifecycle: {@link #start()} once the connection is open, {@link #refresh} any number of times,
 * {@link #cancel()} when it closes (idempotent). The action runs at most once, on the timer's
 * thread, and never after {@code cancel()} has returned unless it had already begun.
 *
 * <p>Thread-safe: {@code refresh} runs on a handler's virtual thread, the timer on an event loop,
 * {@code cancel} on whichever thread sees the close. The state below is guarded by {@code this};
 * the action runs outside the lock.
 */
final class TokenExpiry {

  /**
   * Close code for a connection whose token expired (private-use range of RFC 6455, beside 4008).
   */
  static final int CLOSE_CODE = 4001;

  static final String CLOSE_REASON = "token expired";

  /**
   * Longest single wait: a later deadline is reached in steps, each checking the clock again. This
   * keeps far-off {@code exp} values within any timer's range, and a timer that fires early against
   * the clock re-arms.
   */
  static final Duration MAX_WAIT = Duration.ofHours(1);

  /** Runs a task once after a delay; the production one is {@link VertxTimer}. */
  interface Timer {
    /**
     * Schedules {@code task} to run once, {@code delay} (never negative) from now.
     *
     * @return cancels the task if it has not run yet; idempotent
     */
    Runnable schedule(Duration delay, Runnable task);
  }

  private final Duration leeway;
  private final Clock clock;
  private final Timer timer;
  private final Runnable onExpired;

  /** Whose token counts now: the connection's, then the last one accepted by {@link #refresh}. */
  private Identity identity;

  /** Cancels the pending timer task; a no-op when none is pending. */
  private Runnable pending = () -> {};

  /** Bumped on every (re)scheduling, so that a task that was cancelled too late does nothing. */
  private long generation;

  private boolean started;
  private boolean expired;
  private boolean cancelled;

  /**
   * @param identity who the connection belongs to; its {@code expiresAt} sets the first deadline
   * @param leeway added to {@code exp}, as the verifier allows it ({@code jwt.leeway_seconds})
   * @param clock the time against which {@code exp} is checked (the verifier's)
   * @param onExpired ends the connection; runs at most once
   */
  TokenExpiry(Identity identity, Duration leeway, Clock clock, Timer timer, Runnable onExpired) {
    this.identity = Objects.requireNonNull(identity, "identity");
    this.leeway = Objects.requireNonNull(leeway, "leeway");
    if (leeway.isNegative()) {
      throw new IllegalArgumentException("leeway must not be negative, got " + leeway);
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timer = Objects.requireNonNull(timer, "timer");
    this.onExpired = Objects.requireNonNull(onExpired, "onExpired");
  }

  /**
   * Arms the timer for the identity's deadline (nothing, when it has no {@code exp}).
   *
   * @throws IllegalStateException when called twice
   */
  synchronized void start() {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    if (!cancelled) {
      schedule();
    }
  }

  /**
   * Takes a fresh token's identity: from now on its {@code exp} (plus the leeway) is the deadline,
   * or there is none when it has no {@code exp}. The fresh token governs even when it expires
   * earlier than the one it replaces: the newest word of the issuer counts.
   *
   * @return {@code fresh}, now the current identity
   * @throws IllegalArgumentException when {@code fresh} names another user ({@code sub}) or tenant
   *     ({@code tenant_id}; both absent is the same); nothing changes
   * @throws IllegalStateException when the connection already expired or was cancelled; nothing
   *     changes
   */
  synchronized Identity refresh(Identity fresh) {
    Objects.requireNonNull(fresh, "fresh");
    if (!fresh.userId().equals(identity.userId())) {
      throw new IllegalArgumentException(
          "the token is for user '"
              + fresh.userId()
              + "', but this connection belongs to user '"
              + identity.userId()
              + "'");
    }
    if (!fresh.tenantId().equals(identity.tenantId())) {
      throw new IllegalArgumentException(
          "the token is for tenant "
              + show(fresh.tenantId())
              + ", but this connection belongs to tenant "
              + show(identity.tenantId()));
    }
    if (expired) {
      throw new IllegalStateException(
          "too late: the token expired at "
              + identity.expiresAt().orElseThrow()
              + " and the connection is closing");
    }
    if (cancelled) {
      throw new IllegalStateException("the connection is closed");
    }
    identity = fresh;
    if (started) {
      pending.run(); // a task already firing finds the generation changed by schedule() and does
      // nothing
      pending = () -> {};
      schedule();
    }
    return fresh;
  }

  /** The identity whose token counts now. */
  synchronized Identity identity() {
    return identity;
  }

  /**
   * When the connection is closed unless refreshed: the current {@code exp} plus the leeway; empty
   * for never.
   */
  synchronized Optional<Instant> deadline() {
    return identity.expiresAt().map(exp -> exp.plus(leeway));
  }

  /**
   * Stops the timer for good: the connection is gone. Idempotent; refreshes after it are refused.
   */
  void cancel() {
    Runnable stale;
    synchronized (this) {
      cancelled = true;
      generation++;
      stale = pending;
      pending = () -> {};
    }
    stale.run();
  }

  /** Under the lock: arms the timer for the current deadline, if any. */
  private void schedule() {
    long armed = ++generation;
    Optional<Instant> deadline = identity.expiresAt().map(exp -> exp.plus(leeway));
    if (deadline.isEmpty()) {
      return;
    }
    Duration left = Duration.between(clock.instant(), deadline.get());
    Duration wait =
        left.isNegative() ? Duration.ZERO : left.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : left;
    pending = timer.schedule(wait, () -> fire(armed));
  }

  private void fire(long armed) {
    synchronized (this) {
      if (armed != generation || cancelled || expired) {
        return; // replaced by a refresh, or cancelled, after it was due
      }
      Instant deadline = identity.expiresAt().orElseThrow().plus(leeway);
      if (clock.instant().isBefore(deadline)) {
        schedule(); // a step towards a far deadline, or the timer ran ahead of the clock
        return;
      }
      expired = true;
      pending = () -> {};
    }
    onExpired.run();
  }

  private static String show(Optional<String> tenant) {
    return tenant.map(t -> "'" + t + "'").orElse("(none)");
  }
}
