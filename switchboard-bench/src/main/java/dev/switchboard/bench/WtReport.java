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
 * over the rounds, and a row of WT/WS ratios of those medians.
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
      if (of(phase, Transport.WS).isEmpty() && of(phase, Transport.WT).isEmpty()) {
        continue;
      }
      for (Transport transport : Transport.values()) {
        md.append(row(phase, transport)).append('\n');
      }
      md.append(ratioRow(phase)).append('\n');
    }
    md.append(
        "\nops/s, latencies and CPU/op: the median over the rounds (each column's own median); "
            + "WT/WS: the ratio of the two medians (ops/s: higher is better for WT; latency and "
            + "CPU: lower is).\n");
    return md.toString();
  }

  private List<WtSample> of(Phase phase, Transport transport) {
    return samples.stream().filter(s -> s.phase() == phase && s.transport() == transport).toList();
  }

  private String row(Phase phase, Transport transport) {
    List<WtSample> runs = of(phase, transport);
    String perRound =
        String.join(" / ", runs.stream().map(s -> grouped(s.opsPerSecond())).toList());
    return "| "
        + (transport == Transport.WS ? phase.label : "")
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

  private String ratioRow(Phase phase) {
    List<WtSample> ws = of(phase, Transport.WS);
    List<WtSample> wt = of(phase, Transport.WT);
    Function<Function<WtSample, OptionalDouble>, String> ratio =
        figure -> times(ratio(median(wt, figure), median(ws, figure)));
    return "|  | **WT/WS** | **"
        + ratio.apply(s -> OptionalDouble.of(s.opsPerSecond()))
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

  static String times(OptionalDouble value) {
    return value.isPresent() ? String.format(Locale.ROOT, "%.2fx", value.getAsDouble()) : "—";
  }
}
