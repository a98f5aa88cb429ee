package dev.switchboard.bench;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What one configuration gave in one round of the cluster benchmark: numbers, or why there are
 * none.
 */
sealed interface ClusterResult permits ClusterResult.Measured, ClusterResult.Failed {

  ClusterLayout layout();

  /** The round it ran in, from 1. */
  int round();

  /**
   * The measured window of one configuration.
   *
   * @param fanout the fan-out window as {@link NodeFanoutPhase} measured it; its server CPU is the
   *     sum over every node JVM
   * @param redisCpuSeconds Redis's CPU time (user + system) over the same window; empty in memory
   * @param commands Redis commands run in the window, by name ({@code INFO commandstats} deltas,
   *     without the {@code info} calls that read them); empty in memory
   */
  record Measured(
      ClusterLayout layout,
      int round,
      NodeFanoutResult.Measured fanout,
      OptionalDouble redisCpuSeconds,
      Map<String, Long> commands)
      implements ClusterResult {
    public Measured {
      Objects.requireNonNull(fanout, "fanout");
      Objects.requireNonNull(redisCpuSeconds, "redisCpuSeconds");
      commands = Map.copyOf(commands);
    }

    double deliveriesPerSecond() {
      return fanout.seconds() > 0 ? fanout.received() / fanout.seconds() : Double.NaN;
    }

    /** Microseconds of CPU of all nodes together per delivery received. */
    double serverMicrosPerDelivery() {
      return fanout.serverMicrosPerDelivery();
    }

    /** Microseconds of Redis CPU per notification published; NaN in memory. */
    double redisMicrosPerNotification() {
      return redisCpuSeconds.isPresent() && fanout.messages() > 0
          ? redisCpuSeconds.getAsDouble() * 1e6 / fanout.messages()
          : Double.NaN;
    }

    /**
     * Calls of {@code command} per notification published (all commands when null); NaN in memory.
     */
    double callsPerNotification(String command) {
      if (!layout.redis() || fanout.messages() == 0) {
        return Double.NaN;
      }
      long calls =
          command == null
              ? commands.values().stream().mapToLong(Long::longValue).sum()
              : commands.getOrDefault(command, 0L);
      return (double) calls / fanout.messages();
    }
  }

  /** The configuration started (or tried to) but the measurement failed. */
  record Failed(ClusterLayout layout, int round, String reason) implements ClusterResult {}
}
