package dev.switchboard.bench;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What one system of the RPC benchmark gave: numbers, or why there are none. */
sealed interface SystemResult
    permits SystemResult.Measured, SystemResult.NotRun, SystemResult.Failed {

  SystemId system();

  /** The row label, for example "rpc-websockets 10.0.1 (node v20.20.2)". */
  String label();

  /**
   * The measurements of a system that ran to the end; {@code pipelined} in the order of {@code
   * --inflight}.
   */
  record Measured(
      SystemId system, String label, SequentialStats sequential, List<PipelinedStats> pipelined)
      implements SystemResult {
    public Measured {
      Objects.requireNonNull(sequential, "sequential");
      pipelined = List.copyOf(pipelined);
    }

    Optional<PipelinedStats> at(int inflight) {
      return pipelined.stream().filter(p -> p.inflight() == inflight).findFirst();
    }
  }

  /**
   * The system could not be run here (for example node is missing); not an error of the benchmark.
   */
  record NotRun(SystemId system, String label, String reason) implements SystemResult {}

  /** The system started but the measurement failed: a wrong reply, a stall, a crash. */
  record Failed(SystemId system, String label, String reason) implements SystemResult {}
}
