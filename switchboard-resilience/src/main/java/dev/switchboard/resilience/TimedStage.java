package dev.switchboard.resilience;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiConsumer;

/**
 * One asynchronous call under a {@link Timeout}: the caller's future, the timer's task and the
 * call's completion in one object (one allocation instead of a future, a flag and two lambdas).
 * Whoever settles first, the timer or the call, publishes its event and then completes this future,
 * so a caller that sees the outcome also sees the event. Cancelling this future cancels the timer
 * and the call.
 */
final class TimedStage<T> extends CompletableFuture<T>
    implements Runnable, BiConsumer<T, Throwable> {

  private static final VarHandle STATE;

  /** {@link #state} once the timer, the call or a cancel has settled the outcome. */
  private static final Object SETTLED = new Object();

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(TimedStage.class, "state", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final TimeoutImpl timeout;
  private final CompletionStage<T> call;
  private final long limitNanos;

  /** When the call started, or {@link TimeoutImpl#UNTIMED} when nobody was listening then. */
  private final long startNanos;

  /**
   * Null until the timer is armed, then the timer's {@link ScheduledFuture}, then {@link #SETTLED}:
   * one field is both the timer and the flag saying who won (the object stays at 48 bytes).
   */
  @SuppressWarnings("unused") // through STATE
  private volatile Object state;

  TimedStage(TimeoutImpl timeout, CompletionStage<T> call, long limitNanos, long startNanos) {
    this.timeout = timeout;
    this.call = call;
    this.limitNanos = limitNanos;
    this.startNanos = startNanos;
  }

  /** Keeps the armed timer and listens to the call; once, right after construction. */
  TimedStage<T> start(ScheduledFuture<?> timer) {
    if (!STATE.compareAndSet(this, null, timer)) {
      timer.cancel(false); // already settled: the timer fired first
    }
    call.whenComplete(this);
    return this;
  }

  /**
   * Settles the outcome; true for the one caller that did, which cancels the timer if it is still
   * armed.
   */
  private boolean settle() {
    Object before = STATE.getAndSet(this, SETTLED);
    if (before instanceof ScheduledFuture<?> timer) {
      timer.cancel(false);
    }
    return before != SETTLED;
  }

  /** The timer fired. */
  @Override
  public void run() {
    if (settle()) {
      completeExceptionally(timeout.timedOut(limitNanos));
      if (timeout.config().cancelRunningFuture()) {
        ReleasingStage.cancel(call, true);
      }
    }
  }

  /** The call completed. */
  @Override
  public void accept(T value, Throwable thrown) {
    if (!settle()) {
      return;
    }
    if (thrown == null) {
      timeout.succeeded(startNanos);
      complete(value);
    } else {
      Throwable cause = RetryImpl.unwrap(thrown);
      timeout.failed(startNanos, cause);
      completeExceptionally(cause);
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    if (!settle()) {
      return isCancelled();
    }
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    ReleasingStage.cancel(call, true);
    return cancelled;
  }
}
