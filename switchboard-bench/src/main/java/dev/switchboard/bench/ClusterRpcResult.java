package dev.switchboard.bench;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/** What one scenario of {@code BenchMain cluster-rpc} gave in one round: numbers, or why none. */
sealed interface ClusterRpcResult permits ClusterRpcResult.Measured, ClusterRpcResult.Failed {

  ClusterRpcScenario scenario();

  /** The round it ran in, from 1. */
  int round();

  /**
   * One client run: its answers (every one checked) and each node JVM's CPU over its window.
   *
   * @param nodes node 1 (the client's) first
   */
  record Pass(WsClientResult client, List<CpuUsage> nodes) {
    public Pass {
      Objects.requireNonNull(client, "client");
      nodes = List.copyOf(nodes);
    }

    /** Server CPU µs per answered call, summed over the nodes; empty when unknown. */
    OptionalDouble serverMicrosPerCall() {
      double sum = 0;
      for (int i = 0; i < nodes.size(); i++) {
        OptionalDouble node = nodeMicrosPerCall(i);
        if (node.isEmpty()) {
          return OptionalDouble.empty();
        }
        sum += node.getAsDouble();
      }
      return nodes.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(sum);
    }

    /** Node {@code index}'s (0: node 1) CPU µs per answered call; empty when unknown. */
    OptionalDouble nodeMicrosPerCall(int index) {
      OptionalDouble seconds = nodes.get(index).serverSeconds();
      return seconds.isPresent() && client.calls() > 0
          ? OptionalDouble.of(seconds.getAsDouble() * 1e6 / client.calls())
          : OptionalDouble.empty();
    }
  }

  /**
   * Both passes of a scenario.
   *
   * @param sequential one connection, one call in flight: latency without queueing
   * @param throughput N connections, K calls in flight on each
   */
  record Measured(ClusterRpcScenario scenario, int round, Pass sequential, Pass throughput)
      implements ClusterRpcResult {
    public Measured {
      Objects.requireNonNull(scenario, "scenario");
      Objects.requireNonNull(sequential, "sequential");
      Objects.requireNonNull(throughput, "throughput");
    }
  }

  /** A scenario that failed: a wrong or error answer, a stall, a node that died. */
  record Failed(ClusterRpcScenario scenario, int round, String reason) implements ClusterRpcResult {
    public Failed {
      Objects.requireNonNull(scenario, "scenario");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
