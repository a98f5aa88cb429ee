package dev.switchboard.client;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The timer of every {@link PushClient} in the JVM: one daemon thread; tasks are short. */
final class SharedScheduler {
  static final ScheduledExecutorService INSTANCE =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "switchboard-push-timer");
            t.setDaemon(true);
            return t;
          });

  private SharedScheduler() {}
}
