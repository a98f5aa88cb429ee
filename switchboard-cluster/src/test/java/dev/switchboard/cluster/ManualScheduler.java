package dev.switchboard.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A scheduler whose tasks run only when the test {@linkplain #fire() fires} them. */
final class ManualScheduler implements Scheduler {

  private final List<Runnable> tasks = new ArrayList<>();
  private final List<Duration> delays = new ArrayList<>();
  private int cancelled;

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    tasks.add(task);
    delays.add(delay);
    return () -> {
      synchronized (this) {
        if (tasks.remove(task)) {
          cancelled++;
        }
      }
    };
  }

  /** Runs every task still scheduled, as if its delay had passed. */
  void fire() {
    List<Runnable> due;
    synchronized (this) {
      due = List.copyOf(tasks);
      tasks.clear();
    }
    due.forEach(Runnable::run);
  }

  synchronized List<Duration> delays() {
    return List.copyOf(delays);
  }

  synchronized int pending() {
    return tasks.size();
  }

  synchronized int cancelled() {
    return cancelled;
  }
}
