package dev.switchboard.client;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One virtual thread running tasks in order, behind a bounded queue: when the queue is full the
 * submitting thread waits for room, which holds back the connection's reader and, through it, the
 * server (a slow handler makes a slow consumer, not an unbounded queue, and never a reordering: a
 * task run by the submitter itself would overtake the queued ones).
 */
final class SerialDelivery {
  private SerialDelivery() {}

  static Executor create(int maxQueued) {
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            1,
            1,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(maxQueued),
            Thread.ofVirtual().name("switchboard-push-delivery").factory(),
            SerialDelivery::waitForRoom);
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  /**
   * Rejected only when the queue is full (the one worker is busy, so it will take from the queue
   * again): wait for room behind the tasks already queued.
   */
  private static void waitForRoom(Runnable task, ThreadPoolExecutor executor) {
    if (executor.isShutdown()) {
      throw new RejectedExecutionException("delivery is shut down");
    }
    try {
      executor.getQueue().put(task);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RejectedExecutionException("interrupted waiting for room to deliver", e);
    }
  }
}
