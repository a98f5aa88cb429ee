package dev.switchboard.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * CPU time of the server under test and of this JVM (the devices and the publisher), as the
 * operating system counts it ({@link ProcessHandle.Info#totalCpuDuration()}: user and system time,
 * about 10 ms resolution on Linux). On a machine whose cores the two share, the cost per delivery
 * in CPU time says more than the rate alone, and it does not move with what else runs on the
 * machine the way throughput does. Where {@code /proc/stat} exists (Linux), the machine's busy time
 * too, so that a report can say how much CPU other processes took.
 */
final class CpuMeter {

  /**
   * A point in time with the CPU time used so far; absent where the operating system does not say.
   */
  record Snapshot(
      long nanos,
      Optional<Duration> server,
      Optional<Duration> bench,
      OptionalDouble machineBusy) {}

  /**
   * Clock ticks per second of {@code /proc/stat}: USER_HZ, 100 on every Linux architecture that
   * matters here.
   */
  private static final double TICKS_PER_SECOND = 100;

  private static final Path PROC_STAT = Path.of("/proc/stat");

  private static final double QUIET_SERVER_CORES = 0.15;
  private static final double QUIET_BENCH_CORES = 0.25;
  private static final long QUIET_SAMPLE_MILLIS = 500;

  private final List<ProcessHandle> servers;

  /**
   * @param server the server's process, or empty for a server this benchmark did not start
   */
  CpuMeter(Optional<ProcessHandle> server) {
    this(server.stream().toList());
  }

  /**
   * @param servers the processes of a server made of several (the nodes of a cluster), whose CPU
   *     times are summed; empty for a server this benchmark did not start
   */
  CpuMeter(List<ProcessHandle> servers) {
    this.servers = List.copyOf(servers);
  }

  Snapshot snapshot() {
    return new Snapshot(
        System.nanoTime(), serversCpu(), cpu(ProcessHandle.current()), machineBusySeconds());
  }

  /** The sum over the server processes; empty when there are none or one does not say. */
  private Optional<Duration> serversCpu() {
    Duration sum = Duration.ZERO;
    for (ProcessHandle server : servers) {
      Optional<Duration> used = cpu(server);
      if (used.isEmpty()) {
        return Optional.empty();
      }
      sum = sum.plus(used.get());
    }
    return servers.isEmpty() ? Optional.empty() : Optional.of(sum);
  }

  /** What was used between {@code from} and {@code to}. */
  static CpuUsage between(Snapshot from, Snapshot to) {
    double seconds = (to.nanos() - from.nanos()) / 1e9;
    OptionalDouble machine =
        from.machineBusy().isPresent() && to.machineBusy().isPresent()
            ? OptionalDouble.of(to.machineBusy().getAsDouble() - from.machineBusy().getAsDouble())
            : OptionalDouble.empty();
    return new CpuUsage(
        seconds, used(from.server(), to.server()), used(from.bench(), to.bench()), machine);
  }

  /**
   * Waits until the server and this JVM are nearly idle (JIT compilers and garbage collectors done
   * with what the previous step left them), at most {@code max}. Without CPU figures it returns at
   * once.
   */
  void awaitQuiet(Duration max, String name, PrintStream progress) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + max.toNanos();
    Snapshot last = snapshot();
    if (last.server().isEmpty() && last.bench().isEmpty()) {
      return;
    }
    CpuUsage usage;
    do {
      Thread.sleep(QUIET_SAMPLE_MILLIS);
      Snapshot now = snapshot();
      usage = between(last, now);
      last = now;
      if (usage.serverCores().orElse(0) < QUIET_SERVER_CORES
          && usage.benchCores().orElse(0) < QUIET_BENCH_CORES) {
        progress.printf("%s: quiet after %.1f s%n", name, (System.nanoTime() - start) / 1e9);
        return;
      }
    } while (System.nanoTime() < deadline);
    progress.printf(
        "%s: still busy after %d s (server %s cores, benchmark %s cores); going on%n",
        name,
        TimeUnit.NANOSECONDS.toSeconds(max.toNanos()),
        usage.serverCores().orElse(Double.NaN),
        usage.benchCores().orElse(Double.NaN));
  }

  /**
   * CPU seconds all cores spent on anything but idling since boot, from {@code /proc/stat}'s "cpu"
   * line.
   */
  static OptionalDouble machineBusySeconds() {
    try (Stream<String> lines = Files.lines(PROC_STAT)) {
      return lines.findFirst().map(CpuMeter::busySeconds).orElse(OptionalDouble.empty());
    } catch (IOException | RuntimeException e) {
      return OptionalDouble.empty();
    }
  }

  /** "cpu user nice system idle iowait irq softirq steal ...": all but idle, iowait and steal. */
  static OptionalDouble busySeconds(String cpuLine) {
    String[] f = cpuLine.trim().split("\\s+");
    if (f.length < 8 || !f[0].equals("cpu")) {
      return OptionalDouble.empty();
    }
    long busy = 0;
    for (int i = 1; i <= 7; i++) {
      if (i != 4 && i != 5) {
        busy += Long.parseLong(f[i]);
      }
    }
    return OptionalDouble.of(busy / TICKS_PER_SECOND);
  }

  private static Optional<Duration> cpu(ProcessHandle process) {
    return process.info().totalCpuDuration();
  }

  private static OptionalDouble used(Optional<Duration> from, Optional<Duration> to) {
    if (from.isEmpty() || to.isEmpty()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(to.get().minus(from.get()).toNanos() / 1e9);
  }
}
