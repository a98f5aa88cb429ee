package dev.switchboard.bench;

import java.util.OptionalDouble;

/**
 * CPU time used during a stretch of wall-clock time; see {@link CpuMeter}.
 *
 * @param seconds the wall-clock length of the stretch
 * @param serverSeconds CPU seconds of the server process, when known (not for a server started by
 *     hand)
 * @param benchSeconds CPU seconds of the benchmark JVM (devices and publisher), when known
 * @param machineSeconds CPU seconds the whole machine was busy (all processes, the kernel's
 *     interrupt work included), when known (Linux)
 */
record CpuUsage(
    double seconds,
    OptionalDouble serverSeconds,
    OptionalDouble benchSeconds,
    OptionalDouble machineSeconds) {

  /** Cores the server kept busy on average. */
  OptionalDouble serverCores() {
    return perSecond(serverSeconds);
  }

  /** Cores this JVM kept busy on average. */
  OptionalDouble benchCores() {
    return perSecond(benchSeconds);
  }

  /**
   * Cores busy with anything else: other processes, and kernel work not charged to ours (part of
   * the loopback network's interrupt work). Known when all three figures are.
   */
  OptionalDouble otherCores() {
    if (serverSeconds.isEmpty()
        || benchSeconds.isEmpty()
        || machineSeconds.isEmpty()
        || seconds <= 0) {
      return OptionalDouble.empty();
    }
    double other =
        machineSeconds.getAsDouble() - serverSeconds.getAsDouble() - benchSeconds.getAsDouble();
    return OptionalDouble.of(Math.max(0, other) / seconds);
  }

  private OptionalDouble perSecond(OptionalDouble cpu) {
    return cpu.isPresent() && seconds > 0
        ? OptionalDouble.of(cpu.getAsDouble() / seconds)
        : OptionalDouble.empty();
  }
}
