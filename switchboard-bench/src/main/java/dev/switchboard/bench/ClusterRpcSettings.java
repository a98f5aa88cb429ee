package dev.switchboard.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The options of one {@code BenchMain cluster-rpc} run, validated.
 *
 * @param seconds measured seconds of each pass
 * @param warmupSeconds untimed seconds of each pass before them, same load
 * @param prewarmSeconds untimed throughput load of each scenario once the nodes are up, for the JIT
 *     compilers, before the round's first measurement
 * @param connections connections of the throughput pass
 * @param inflight calls in flight on each connection of the throughput pass
 * @param rounds rounds, each on fresh processes; even rounds run the scenarios in reverse order
 * @param payloadBytes length of the echoed ASCII string (direct, local, routed)
 * @param stallSeconds a pass fails when no answer arrives for this long
 * @param scenarios the scenarios, in the order odd rounds run them
 * @param serverJvmArgs extra JVM flags of every node
 * @param serverEnv extra environment of every node
 * @param nodeDir the folder of {@code ws-rpc-client.mjs} and its {@code node_modules}
 */
record ClusterRpcSettings(
    double seconds,
    double warmupSeconds,
    double prewarmSeconds,
    int connections,
    int inflight,
    int rounds,
    int payloadBytes,
    double stallSeconds,
    List<ClusterRpcScenario> scenarios,
    List<String> serverJvmArgs,
    Map<String, String> serverEnv,
    Path nodeDir) {

  ClusterRpcSettings {
    positive("--seconds", seconds);
    notNegative("--warmup-seconds", warmupSeconds);
    notNegative("--prewarm-seconds", prewarmSeconds);
    positive("--stall-seconds", stallSeconds);
    atLeastOne("--connections", connections);
    atLeastOne("--inflight", inflight);
    atLeastOne("--rounds", rounds);
    if (payloadBytes < 0) {
      throw new IllegalArgumentException("--payload-bytes must be 0 or more, got " + payloadBytes);
    }
    scenarios = List.copyOf(scenarios);
    if (scenarios.isEmpty()) {
      throw new IllegalArgumentException("--scenarios names none");
    }
    if (scenarios.stream().distinct().count() != scenarios.size()) {
      throw new IllegalArgumentException("--scenarios names one twice: " + scenarios);
    }
    serverJvmArgs = List.copyOf(serverJvmArgs);
    serverEnv = Map.copyOf(serverEnv);
    Objects.requireNonNull(nodeDir, "nodeDir");
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
