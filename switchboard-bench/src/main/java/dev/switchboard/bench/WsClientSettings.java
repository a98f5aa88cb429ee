package dev.switchboard.bench;

import java.util.List;

/**
 * The options of the independent-client half of {@code BenchMain rpc} ({@code --client ws}),
 * validated; every system and every cell runs with the same ones. The payload, the systems and the
 * node folder are those of {@link RpcBenchSettings}.
 *
 * @param seconds measured seconds per cell
 * @param warmupSeconds untimed seconds per cell before them (new connections, the server's caches)
 * @param prewarmSeconds untimed load of workload (a) before each system's first cell, for the JIT
 *     compilers
 * @param stallSeconds a cell fails when no answer arrives for this long
 * @param pipelinedInflight calls in flight on the one connection of workload (a)
 * @param connections connections of workload (c)
 * @param inflightPerConnection calls in flight on each connection of workload (c)
 */
record WsClientSettings(
    double seconds,
    double warmupSeconds,
    double prewarmSeconds,
    double stallSeconds,
    int pipelinedInflight,
    int connections,
    int inflightPerConnection) {

  WsClientSettings {
    positive("--ws-seconds", seconds);
    notNegative("--ws-warmup-seconds", warmupSeconds);
    notNegative("--ws-prewarm-seconds", prewarmSeconds);
    positive("--stall-seconds", stallSeconds);
    atLeastOne("--ws-inflight", pipelinedInflight);
    atLeastOne("--ws-connections", connections);
    atLeastOne("--ws-inflight-per-connection", inflightPerConnection);
  }

  /** (a), (b), (c), in the order they run and are reported. */
  List<WsWorkload> workloads() {
    return List.of(
        WsWorkload.pipelined(pipelinedInflight),
        WsWorkload.sequential(),
        WsWorkload.manyConnections(connections, inflightPerConnection));
  }

  private static void positive(String option, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(option + " must be a number above 0, got " + value);
    }
  }

  private static void notNegative(String option, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(option + " must be 0 or more, got " + value);
    }
  }

  private static void atLeastOne(String option, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(option + " must be 1 or more, got " + value);
    }
  }
}
