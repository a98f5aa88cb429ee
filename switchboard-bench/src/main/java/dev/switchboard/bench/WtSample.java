package dev.switchboard.bench;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One phase of {@code bench wt} over one transport in one round, as the page measured it, with the
 * CPU time the server and the browser spent meanwhile.
 *
 * @param ops calls answered or notifications received
 * @param seconds the page's wall-clock time of the phase
 * @param errors wrong answers, failed sends, pushes that did not arrive
 * @param latenciesUs every latency of the phase in microseconds (empty for throughput phases)
 * @param serverCpuSeconds utime + stime of the server process over the phase
 * @param clientCpuSeconds utime + stime of node and its Chromium processes over the phase
 */
record WtSample(
    int round,
    Phase phase,
    Transport transport,
    long ops,
    double seconds,
    long errors,
    Optional<String> firstError,
    double[] latenciesUs,
    OptionalDouble serverCpuSeconds,
    OptionalDouble clientCpuSeconds) {

  /**
   * The transports, in the order odd rounds run them. {@link #WT_RAW} is no RPC transport but the
   * limit of {@link #WT}: a second bidirectional stream of the same session, which the development
   * server's demo echoes back as it arrives, carrying the JSON texts an {@code echo} call carries.
   */
  enum Transport {
    WS("ws", "WebSocket", true),
    WT("wt", "WebTransport", true),
    WT_RAW("wt-raw", "raw WT echo (no RPC)", false);

    final String key;
    final String label;

    /** Whether it carries calls and notifications; else only the echo phases run over it. */
    final boolean rpc;

    Transport(String key, String label, boolean rpc) {
      this.key = key;
      this.label = label;
      this.rpc = rpc;
    }
  }

  /** The phases, in the order each round runs them. */
  enum Phase {
    SEQ("seq", "RPC sequential (echo, 1 in flight)", true, true),
    PIPE("pipe", "RPC pipelined (echo, window in flight)", false, true),
    PUSH("push", "push latency (one at a time, POST to arrival)", true, false),
    PUSH_RATE("push-rate", "push throughput (batches of the HTTP API)", false, false);

    final String key;
    final String label;
    final boolean timed;

    /** Whether it is calls of {@code echo}, which {@link Transport#WT_RAW} runs as well. */
    final boolean echo;

    Phase(String key, String label, boolean timed, boolean echo) {
      this.key = key;
      this.label = label;
      this.timed = timed;
      this.echo = echo;
    }

    boolean runsOver(Transport transport) {
      return transport.rpc || echo;
    }
  }

  WtSample {
    latenciesUs = latenciesUs.clone();
    Arrays.sort(latenciesUs);
  }

  @Override
  public double[] latenciesUs() {
    return latenciesUs.clone();
  }

  double opsPerSecond() {
    return seconds > 0 ? ops / seconds : 0;
  }

  /** Exact nearest rank: the smallest latency at least {@code p} of all are at or below. */
  OptionalDouble percentileUs(double p) {
    return percentile(latenciesUs, p);
  }

  OptionalDouble serverUsPerOp() {
    return perOp(serverCpuSeconds);
  }

  OptionalDouble clientUsPerOp() {
    return perOp(clientCpuSeconds);
  }

  private OptionalDouble perOp(OptionalDouble cpuSeconds) {
    return cpuSeconds.isPresent() && ops > 0
        ? OptionalDouble.of(cpuSeconds.getAsDouble() * 1e6 / ops)
        : OptionalDouble.empty();
  }

  /** Nearest rank of a sorted array: {@code sorted[ceil(p * n) - 1]}; empty when it is empty. */
  static OptionalDouble percentile(double[] sorted, double p) {
    if (!(p > 0 && p <= 1)) {
      throw new IllegalArgumentException("percentile must be in (0, 1], got " + p);
    }
    if (sorted.length == 0) {
      return OptionalDouble.empty();
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return OptionalDouble.of(sorted[Math.max(0, rank - 1)]);
  }
}
