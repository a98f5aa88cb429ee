package dev.switchboard.bench;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

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
   * @param serverIdleCores cores the node JVMs used together over 2 s just before the phase,
   *     nothing published (10 ms resolution per JVM)
   * @param syscalls the node JVMs' read and write system calls in the window (-1 when unknown)
   * @param nodeCpuSeconds each node JVM's CPU seconds over the window, node 1 (the publisher's)
   *     first
   * @param redis what Redis did over the same window; empty in memory
   * @param idle what Redis did per second just before the phase, nothing published: the nodes' own
   *     traffic (heartbeats, presence, the trigger lease) and Redis's own timers; empty in memory
   */
  record Measured(
      ClusterLayout layout,
      int round,
      NodeFanoutResult.Measured fanout,
      double serverIdleCores,
      ProcSyscalls syscalls,
      List<Double> nodeCpuSeconds,
      Optional<RedisCounters> redis,
      Optional<RedisCounters> idle)
      implements ClusterResult {
    public Measured {
      Objects.requireNonNull(fanout, "fanout");
      Objects.requireNonNull(syscalls, "syscalls");
      nodeCpuSeconds = List.copyOf(nodeCpuSeconds);
      Objects.requireNonNull(redis, "redis");
      Objects.requireNonNull(idle, "idle");
    }

    double deliveriesPerSecond() {
      return fanout.seconds() > 0 ? fanout.received() / fanout.seconds() : Double.NaN;
    }

    /** Microseconds of CPU of all nodes together per delivery received. */
    double serverMicrosPerDelivery() {
      return fanout.serverMicrosPerDelivery();
    }

    /** Each node's share of the nodes' CPU, in percent, node 1 first: "52/24/24"; "—" for one. */
    String nodeCpuSplit() {
      double sum = nodeCpuSeconds.stream().mapToDouble(Double::doubleValue).sum();
      if (nodeCpuSeconds.size() < 2 || !(sum > 0)) {
        return "—";
      }
      return nodeCpuSeconds.stream()
          .map(c -> Long.toString(Math.round(100 * c / sum)))
          .collect(Collectors.joining("/"));
    }

    /** The node JVMs' write system calls per delivery received; NaN when unknown. */
    double writesPerDelivery() {
      return syscalls.writes() >= 0 && fanout.received() > 0
          ? (double) syscalls.writes() / fanout.received()
          : Double.NaN;
    }

    /** Microseconds of Redis CPU (user + system) per notification published; NaN in memory. */
    double redisMicrosPerNotification() {
      return perNotification(redis.map(r -> r.cpuSeconds() * 1e6));
    }

    /**
     * Of {@link #redisMicrosPerNotification}, what Redis would have used idle over the window's
     * length; NaN in memory.
     */
    double idleRedisMicrosPerNotification() {
      return perNotification(idle.map(i -> i.cpuSeconds() * 1e6 * fanout.seconds()));
    }

    /** Microseconds Redis spent running scripts ({@code evalsha}) per notification. */
    double scriptMicrosPerNotification() {
      return perNotification(redis.map(r -> (double) r.usec("evalsha")));
    }

    /** Calls of {@code command} per notification (all commands when null); NaN in memory. */
    double callsPerNotification(String command) {
      return perNotification(
          redis.map(r -> (double) (command == null ? r.calls() : r.calls(command))));
    }

    /**
     * Of {@link #callsPerNotification} of all commands, what the nodes' idle traffic would have
     * made over the window's length; NaN in memory.
     */
    double idleCallsPerNotification() {
      return perNotification(idle.map(i -> i.calls() * fanout.seconds()));
    }

    private double perNotification(Optional<Double> total) {
      return total.isPresent() && fanout.messages() > 0
          ? total.get() / fanout.messages()
          : Double.NaN;
    }
  }

  /** The configuration started (or tried to) but the measurement failed. */
  record Failed(ClusterLayout layout, int round, String reason) implements ClusterResult {}
}
