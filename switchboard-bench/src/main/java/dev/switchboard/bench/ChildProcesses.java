package dev.switchboard.bench;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every process the benchmark starts, so that none outlives it: each is stopped when its user is
 * done, and a shutdown hook kills whatever is left when the JVM exits (normally, on an error, or on
 * Ctrl-C / SIGTERM). Children also watch their stdin and exit at end-of-file, which covers a parent
 * killed with SIGKILL.
 */
final class ChildProcesses {

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ChildProcesses::killAll, "bench-child-reaper"));
  }

  private ChildProcesses() {}

  /** Starts {@code builder}'s process and tracks it until {@link #stop}. */
  static Process start(ProcessBuilder builder) throws IOException {
    Process process = builder.start();
    LIVE.add(process);
    return process;
  }

  /**
   * Asks the process (and its descendants) to stop, then kills what is left after {@code
   * graceMillis}.
   */
  static void stop(Process process, long graceMillis) {
    List<ProcessHandle> descendants = process.descendants().toList();
    try {
      descendants.forEach(ProcessHandle::destroy);
      process.destroy();
      if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
        kill(process);
        process.waitFor(graceMillis, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
    } finally {
      // Those that ignored the polite request, even if their parent is gone by now.
      descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
      LIVE.remove(process);
    }
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static void killAll() {
    LIVE.forEach(ChildProcesses::kill);
  }
}
