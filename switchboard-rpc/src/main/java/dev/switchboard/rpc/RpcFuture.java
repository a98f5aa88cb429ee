package dev.switchboard.rpc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The future of one of our calls. Its {@code *Async} stages run on the handler executor (virtual
 * threads), and it is completed off the I/O thread whenever stages already hang on it, so that user
 * code never runs on, and never blocks, the thread that reads the connection.
 */
final class RpcFuture<T> extends CompletableFuture<T> {

  private final Executor executor;

  /**
   * Threads blocked in get/join: they count as dependents but run no user code on the completing
   * thread.
   */
  private final AtomicInteger waiters = new AtomicInteger();

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
  public T get() throws InterruptedException, ExecutionException {
    waiters.incrementAndGet();
    try {
      return super.get();
    } finally {
      waiters.decrementAndGet();
    }
  }

  @Override
  public T get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    waiters.incrementAndGet();
    try {
      return super.get(timeout, unit);
    } finally {
      waiters.decrementAndGet();
    }
  }

  @Override
  public T join() {
    waiters.incrementAndGet();
    try {
      return super.join();
    } finally {
      waiters.decrementAndGet();
    }
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
   * Completes from an I/O or timer thread. When the only dependents are threads blocked in
   * get/join, completing inline just wakes them; dependent stages would run here, so then
   * completion moves to the executor. (A stage attached at this very moment from another thread may
   * still run inline; that window is accepted to keep the common path free of a thread hop.)
   */
  void completeOffThread(T value) {
    if (onlyWaiters()) {
      complete(value);
    } else {
      executor.execute(() -> complete(value));
    }
  }

  void failOffThread(Throwable failure) {
    if (onlyWaiters()) {
      completeExceptionally(failure);
    } else {
      executor.execute(() -> completeExceptionally(failure));
    }
  }

  private boolean onlyWaiters() {
    return getNumberOfDependents() <= waiters.get();
  }
}
