package dev.switchboard.bench;

import java.util.OptionalDouble;

/**
 * One cell of the independent-client half of {@code BenchMain rpc}: one system, one workload, the
 * client offering permessage-deflate or not.
 */
sealed interface WsCell permits WsCell.Measured, WsCell.NotRun, WsCell.Failed {

  SystemId system();

  WsWorkload workload();

  /** Whether the client offered permessage-deflate (ws's default) or was told not to. */
  boolean offered();

  /**
   * The client's numbers, and the server's CPU time over the same window.
   *
   * @param server the server process's CPU time (utime + stime) over the measured window; its
   *     {@code serverSeconds} is empty where the operating system does not say
   */
  record Measured(
      SystemId system, WsWorkload workload, boolean offered, WsClientResult client, CpuUsage server)
      implements WsCell {

    /** Server CPU time per correct answer, in microseconds. */
    OptionalDouble serverMicrosPerCall() {
      if (server.serverSeconds().isEmpty() || client.calls() == 0) {
        return OptionalDouble.empty();
      }
      return OptionalDouble.of(server.serverSeconds().getAsDouble() * 1e6 / client.calls());
    }

    /**
     * Cores busy with anything but the server, the client and this JVM over the window: other
     * processes on the machine, and kernel work charged to none of them. Known where the machine's
     * busy time is (Linux).
     */
    OptionalDouble otherCores() {
      if (server.serverSeconds().isEmpty()
          || server.benchSeconds().isEmpty()
          || server.machineSeconds().isEmpty()
          || server.seconds() <= 0) {
        return OptionalDouble.empty();
      }
      double other =
          server.machineSeconds().getAsDouble()
              - server.serverSeconds().getAsDouble()
              - server.benchSeconds().getAsDouble()
              - client.clientCpuSeconds();
      return OptionalDouble.of(Math.max(0, other) / server.seconds());
    }

    /**
     * Whether the server's 101 accepted an extension (permessage-deflate, the only one ws offers).
     */
    boolean accepted() {
      return !client.extensions().isEmpty();
    }
  }

  /**
   * The system could not be run here (for example node is missing); not an error of the benchmark.
   */
  record NotRun(SystemId system, WsWorkload workload, boolean offered, String reason)
      implements WsCell {}

  /** The cell started but failed: the server closed a connection, answered wrongly, stalled. */
  record Failed(SystemId system, WsWorkload workload, boolean offered, String reason)
      implements WsCell {}
}
