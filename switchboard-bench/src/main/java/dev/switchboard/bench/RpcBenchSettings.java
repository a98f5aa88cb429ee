package dev.switchboard.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The options of one {@code BenchMain rpc} run, validated; every system runs with the same ones.
 *
 * @param systems which systems to run; they always run in {@link SystemId} order, one after another
 * @param serverJvmArgs extra JVM flags for the Java servers' child JVMs (for example a JFR
 *     recording)
 * @param nodeDir the folder of {@code rpcws-bench.mjs} and its {@code node_modules}
 */
record RpcBenchSettings(
    int payloadBytes,
    int seqCalls,
    int warmupCalls,
    double seconds,
    double warmupSeconds,
    double prewarmSeconds,
    double stallSeconds,
    List<Integer> inflight,
    Set<SystemId> systems,
    List<String> serverJvmArgs,
    Path nodeDir) {

  RpcBenchSettings {
    atLeast("--payload-bytes", payloadBytes, 0);
    atLeast("--seq-calls", seqCalls, 1);
    atLeast("--warmup-calls", warmupCalls, 0);
    positive("--seconds", seconds);
    if (!(warmupSeconds >= 0) || Double.isInfinite(warmupSeconds)) {
      throw new IllegalArgumentException(
          "--warmup-seconds must be 0 or more, got " + warmupSeconds);
    }
    if (!(prewarmSeconds >= 0) || Double.isInfinite(prewarmSeconds)) {
      throw new IllegalArgumentException(
          "--prewarm-seconds must be 0 or more, got " + prewarmSeconds);
    }
    positive("--stall-seconds", stallSeconds);
    inflight = List.copyOf(inflight);
    if (inflight.isEmpty()) {
      throw new IllegalArgumentException("--inflight must list at least one level");
    }
    inflight.forEach(k -> atLeast("--inflight", k, 1));
    if (inflight.stream().distinct().count() != inflight.size()) {
      throw new IllegalArgumentException("--inflight lists a level twice: " + inflight);
    }
    systems = Set.copyOf(systems);
    if (systems.isEmpty()) {
      throw new IllegalArgumentException("no system to run");
    }
    serverJvmArgs = List.copyOf(serverJvmArgs);
    Objects.requireNonNull(nodeDir, "nodeDir");
  }

  int maxInflight() {
    return inflight.stream().mapToInt(Integer::intValue).max().orElseThrow();
  }

  Duration measure() {
    return duration(seconds);
  }

  /**
   * Untimed load at the highest in-flight level before anything is measured, for the JIT compilers.
   */
  Duration prewarm() {
    return duration(prewarmSeconds);
  }

  Duration warmup() {
    return duration(warmupSeconds);
  }

  Duration stall() {
    return duration(stallSeconds);
  }

  /** A number as a person would type it: 5 rather than 5.0. */
  static String plain(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }

  private static Duration duration(double seconds) {
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }

  private static void atLeast(String option, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(option + " must be " + min + " or more, got " + value);
    }
  }

  private static void positive(String option, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(option + " must be a number above 0, got " + value);
    }
  }
}
