package dev.switchboard.client;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One virtual thread running tasks in order, behind a bounded queue: when the queue is full the
 * submitting thread runs the task itself, which holds back the connection's reader and, through it,
 * the server (a slow handler makes a slow consumer, not an unbounded queue).
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
            new ThreadPoolExecutor.CallerRunsPolicy());
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }
}
