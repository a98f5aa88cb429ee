package dev.switchboard.bench;

import dev.switchboard.bench.WtSample.Phase;
import dev.switchboard.bench.WtSample.Transport;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * A {@code bench wt} run as Markdown: per phase, a row per transport with the median over the
 * rounds of each figure (each figure's own median, so a row may mix rounds), the spread of ops/s
 * over the rounds, a row of WT/WS ratios of those medians and, for the echo phases, a row of what
 * RPC over WebTransport reaches of the raw WebTransport echo (ratios, and the µs it adds).
 */
record WtReport(String header, String commandLine, String workload, List<WtSample> samples) {

  WtReport {
    samples = List.copyOf(samples);
  }

  String markdown() {
    StringBuilder md = new StringBuilder("## WebTransport against WebSocket\n\n");
    md.append(header).append("\n\ncommand: `").append(commandLine).append("`\n\n");
    md.append(workload).append("\n\n");
    md.append(
        "| phase | transport | ops/s | ops/s per round | p50 µs | p99 µs | server µs CPU/op "
            + "| browser µs CPU/op | errors |\n");
    md.append("| --- | --- | --: | --- | --: | --: | --: | --: | --: |\n");
    for (Phase phase : Phase.values()) {
      boolean first = true;
      for (Transport transport : Transport.values()) {
        if (of(phase, transport).isEmpty()) {
          continue;
        }
        md.append(row(phase, transport, first)).append('\n');
        first = false;
        if (transport == Transport.WT && !of(phase, Transport.WS).isEmpty()) {
          md.append(ratioRow(phase, Transport.WS, "WT/WS", false)).append('\n');
        }
      }
      if (!of(phase, Transport.WT).isEmpty() && !of(phase, Transport.WT_RAW).isEmpty()) {
        md.append(ratioRow(phase, Transport.WT_RAW, "WT/raw", true)).append('\n');
      }
    }
    md.append(
        "\nops/s, latencies and CPU/op: the median over the rounds (each column's own median); "
            + "WT/WS: the ratio of the two medians (ops/s: higher is better for WT; latency and "
            + "CPU: lower is). WT/raw: RPC over WebTransport against the raw echo of the same "
            + "session, the ratio of the medians (ops/s: the fraction of the raw echo's rate RPC "
            + "reaches) and, in brackets, the µs RPC adds to the raw echo's.\n");
    return md.toString();
  }

  private List<WtSample> of(Phase phase, Transport transport) {
    return samples.stream().filter(s -> s.phase() == phase && s.transport() == transport).toList();
  }

  private String row(Phase phase, Transport transport, boolean first) {
    List<WtSample> runs = of(phase, transport);
    String perRound =
        String.join(" / ", runs.stream().map(s -> grouped(s.opsPerSecond())).toList());
    return "| "
        + (first ? phase.label : "")
        + " | "
        + transport.label
        + " | "
        + grouped(median(runs, s -> OptionalDouble.of(s.opsPerSecond())))
        + " | "
        + perRound
        + " | "
        + (phase.timed ? micros(median(runs, s -> s.percentileUs(0.5))) : "")
        + " | "
        + (phase.timed ? micros(median(runs, s -> s.percentileUs(0.99))) : "")
        + " | "
        + micros(median(runs, WtSample::serverUsPerOp))
        + " | "
        + micros(median(runs, WtSample::clientUsPerOp))
        + " | "
        + runs.stream().mapToLong(WtSample::errors).sum()
        + " |";
  }

  /**
   * WebTransport's medians over {@code base}'s; with {@code added}, each µs column also says how
   * many µs WebTransport's median is above {@code base}'s.
   */
  private String ratioRow(Phase phase, Transport base, String name, boolean added) {
    List<WtSample> bottom = of(phase, base);
    List<WtSample> wt = of(phase, Transport.WT);
    Function<Function<WtSample, OptionalDouble>, String> ratio =
        figure -> {
          OptionalDouble top = median(wt, figure);
          OptionalDouble under = median(bottom, figure);
          String times = times(ratio(top, under));
          return added && top.isPresent() && under.isPresent()
              ? times + " (" + signedMicros(top.getAsDouble() - under.getAsDouble()) + ")"
              : times;
        };
    return "|  | **"
        + name
        + "** | **"
        + times(
            ratio(
                median(wt, s -> OptionalDouble.of(s.opsPerSecond())),
                median(bottom, s -> OptionalDouble.of(s.opsPerSecond()))))
        + "** |  | "
        + (phase.timed ? ratio.apply(s -> s.percentileUs(0.5)) : "")
        + " | "
        + (phase.timed ? ratio.apply(s -> s.percentileUs(0.99)) : "")
        + " | "
        + ratio.apply(WtSample::serverUsPerOp)
        + " | "
        + ratio.apply(WtSample::clientUsPerOp)
        + " |  |";
  }

  /** The median of the present values (the mean of the middle two for an even count). */
  static OptionalDouble median(List<WtSample> runs, Function<WtSample, OptionalDouble> figure) {
    double[] values =
        runs.stream()
            .map(figure)
            .filter(OptionalDouble::isPresent)
            .mapToDouble(OptionalDouble::getAsDouble)
            .sorted()
            .toArray();
    return median(values);
  }

  static OptionalDouble median(double[] sorted) {
    int n = sorted.length;
    if (n == 0) {
      return OptionalDouble.empty();
    }
    double[] copy = Arrays.copyOf(sorted, n);
    Arrays.sort(copy);
    return OptionalDouble.of(n % 2 == 1 ? copy[n / 2] : (copy[n / 2 - 1] + copy[n / 2]) / 2);
  }

  static OptionalDouble ratio(OptionalDouble top, OptionalDouble bottom) {
    return top.isPresent() && bottom.isPresent() && bottom.getAsDouble() > 0
        ? OptionalDouble.of(top.getAsDouble() / bottom.getAsDouble())
        : OptionalDouble.empty();
  }

  static String grouped(OptionalDouble value) {
    return value.isPresent() ? grouped(value.getAsDouble()) : "—";
  }

  static String grouped(double value) {
    return String.format(Locale.ROOT, "%,.0f", value);
  }

  static String micros(OptionalDouble value) {
    return value.isPresent() ? String.format(Locale.ROOT, "%,.1f", value.getAsDouble()) : "—";
  }

  /** {@code +12.5} or {@code -0.3}; a difference that rounds to nothing is {@code +0.0}. */
  static String signedMicros(double value) {
    double tenths = Math.round(value * 10) / 10.0;
    return String.format(Locale.ROOT, "%+,.1f", tenths == 0 ? 0.0 : tenths);
  }

  static String times(OptionalDouble value) {
    return value.isPresent() ? String.format(Locale.ROOT, "%.2fx", value.getAsDouble()) : "—";
  }
}
