package dev.switchboard.resilience;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * What a pattern hands back from {@code callAsync} when it holds something until the call's stage
 * completes (a permit, a place, a trial call): a future that completes like the call's stage after
 * {@code onDone} has run, and whose cancellation reaches the call's stage.
 *
 * <p>{@code stage.whenComplete(release)} alone is not enough: cancelling the future it returns
 * neither cancels the stage nor runs {@code release}, so a {@link Timeout} outside (which cancels
 * what it was given) would leave the call running and the permit taken for good. Here, cancelling
 * cancels the stage too, and {@code onDone} runs exactly once: when the stage completes, or at the
 * cancellation if the stage ignores it.
 */
final class ReleasingStage<T> extends CompletableFuture<T> {

  private static final VarHandle DONE;

  static {
    try {
      DONE = MethodHandles.lookup().findVarHandle(ReleasingStage.class, "done", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final CompletionStage<T> stage;
  private final BiConsumer<? super T, ? super Throwable> onDone;

  @SuppressWarnings("unused") // through DONE
  private volatile boolean done;

  private ReleasingStage(
      CompletionStage<T> stage, BiConsumer<? super T, ? super Throwable> onDone) {
    this.stage = stage;
    this.onDone = onDone;
  }

  /**
   * Runs {@code onDone} once {@code stage} completes (or the result is cancelled); completes like
   * the stage.
   */
  static <T> CompletionStage<T> of(
      CompletionStage<T> stage, BiConsumer<? super T, ? super Throwable> onDone) {
    if (succeeded(stage)) {
      CompletableFuture<T> done = (CompletableFuture<T>) stage;
      onDone.accept(done.resultNow(), null); // complete already: nothing to hold, nothing to cancel
      return done;
    }
    ReleasingStage<T> result = new ReleasingStage<>(stage, onDone);
    stage.whenComplete(result::settle);
    return result;
  }

  /**
   * True for a plain {@link CompletableFuture} that has already succeeded (a cached answer, say):
   * patterns skip their bookkeeping for it. Subclasses are not asked, since some (the minimal
   * stage) refuse to tell.
   */
  static boolean succeeded(CompletionStage<?> stage) {
    return stage.getClass() == CompletableFuture.class
        && ((CompletableFuture<?>) stage).state() == State.SUCCESS;
  }

  private void settle(T value, Throwable failure) {
    runOnce(value, failure);
    if (failure == null) {
      complete(value);
    } else {
      completeExceptionally(failure);
    }
  }

  private void runOnce(T value, Throwable failure) {
    if (DONE.compareAndSet(this, false, true)) {
      onDone.accept(value, failure);
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      cancel(stage, mayInterruptIfRunning); // a stage that ignores it is released here all the same
      runOnce(null, new CancellationException("cancelled by the caller"));
    }
    return cancelled;
  }

  /**
   * Cancels {@code stage} if it is a {@link Future} that allows it (a minimal stage refuses; it is
   * left alone).
   */
  static void cancel(CompletionStage<?> stage, boolean mayInterruptIfRunning) {
    if (stage instanceof Future<?> future) {
      try {
        future.cancel(mayInterruptIfRunning);
      } catch (UnsupportedOperationException e) {
        // a minimal stage cannot be cancelled
      }
    }
  }
}
