package dev.switchboard.rpc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The future of one of our calls. Its {@code *Async} stages run on the handler executor (virtual threads), and it
 * is completed off the I/O thread whenever stages already hang on it, so that user code never runs on, and never
 * blocks, the thread that reads the connection.
 */
final class RpcFuture<T> extends CompletableFuture<T> {

  private final Executor executor;
  /** Set once before the future is handed out; run when the user cancels. */
  private volatile Runnable onCancel = () -> {};

  RpcFuture(Executor executor) {
    this.executor = executor;
  }

  void onCancel(Runnable action) {
    this.onCancel = action;
  }

  @Override
  public Executor defaultExecutor() {
    return executor;
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new RpcFuture<>(executor);
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      onCancel.run();
    }
    return cancelled;
  }

  /**
   * Completes from an I/O or timer thread. With no dependent stage, completing inline only wakes a waiting thread;
   * with some, they would run here, so they run on the executor instead. (A stage attached at this very moment
   * from another thread may still run inline; that window is accepted to keep the common path free of a hop.)
   */
  void completeOffThread(T value) {
    if (getNumberOfDependents() == 0) {
      complete(value);
    } else {
      executor.execute(() -> complete(value));
    }
  }

  void failOffThread(Throwable failure) {
    if (getNumberOfDependents() == 0) {
      completeExceptionally(failure);
    } else {
      executor.execute(() -> completeExceptionally(failure));
    }
  }
}
