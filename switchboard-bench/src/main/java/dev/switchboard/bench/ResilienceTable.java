package dev.switchboard.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * The resilience benchmarks' results as the Markdown table of docs/benchmarks.md: per class and
 * thread count, {@code direct} first, then ours, then each peer, with B/op (when run with {@code
 * -prof gc}), the overhead over {@code direct} and ours over the peer in ns/op. Pairs rows by
 * method name, as the benchmarks promise.
 */
final class ResilienceTable {

  private static final String ALLOCATION = "gc.alloc.rate.norm";

  private ResilienceTable() {}

  private record Row(String method, double score, double error, Optional<Double> bytes) {}

  static String markdown(Collection<RunResult> results) {
    Map<String, List<Row>> groups = new TreeMap<>();
    for (RunResult run : results) {
      String label = run.getParams().getBenchmark();
      String method = label.substring(label.lastIndexOf('.') + 1);
      String bench = label.substring(0, label.lastIndexOf('.'));
      String group =
          bench.substring(bench.lastIndexOf('.') + 1) + " | " + run.getParams().getThreads();
      Result<?> primary = run.getPrimaryResult();
      Optional<Double> bytes =
          Optional.ofNullable(run.getSecondaryResults().get(ALLOCATION))
              .map(result -> result.getScore());
      groups
          .computeIfAbsent(group, g -> new ArrayList<>())
          .add(new Row(method, primary.getScore(), primary.getScoreError(), bytes));
    }
    StringBuilder out =
        new StringBuilder(
            "| Benchmark | Threads | Row | ns/op (± 99.9 %) | B/op | Overhead vs direct (ns) | Ours / peer (ns/op) |\n"
                + "|---|---:|---|---:|---:|---:|---:|\n");
    groups.forEach(
        (group, rows) -> {
          Optional<Row> direct = find(rows, "direct");
          Optional<Row> ours = find(rows, "switchboard");
          List<Row> ordered = new ArrayList<>();
          direct.ifPresent(ordered::add);
          ours.ifPresent(ordered::add);
          rows.stream()
              .filter(r -> !r.method().equals("direct") && !r.method().equals("switchboard"))
              .sorted((a, b) -> a.method().compareTo(b.method()))
              .forEach(ordered::add);
          boolean first = true;
          for (Row row : ordered) {
            out.append("| ")
                .append(first ? group : " | ")
                .append(" | ")
                .append(row.method())
                .append(" | ")
                .append(format("%.1f ± %.1f", row.score(), row.error()))
                .append(" | ")
                .append(row.bytes().map(b -> format("%.0f", b)).orElse("—"))
                .append(" | ")
                .append(
                    row.method().equals("direct") || direct.isEmpty()
                        ? "—"
                        : format("%+.1f", row.score() - direct.get().score()))
                .append(" | ")
                .append(
                    row.method().equals("direct")
                            || row.method().equals("switchboard")
                            || ours.isEmpty()
                        ? ""
                        : format("%.2f", ours.get().score() / row.score()))
                .append(" |\n");
            first = false;
          }
        });
    return out.toString();
  }

  private static Optional<Row> find(List<Row> rows, String method) {
    return rows.stream().filter(r -> r.method().equals(method)).findFirst();
  }

  private static String format(String pattern, Object... values) {
    return String.format(Locale.ROOT, pattern, values);
  }
}
