package dev.switchboard.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * A finished run's report: {@code <profile>.md} (headline with PASS or FAIL, thresholds, results,
 * the latency plot, notes, a timeline condensed to 10 s rows) and the plot it embeds, {@code
 * <profile>-latency.png} (see {@link LatencyPlot}).
 */
public final class LoadReport {

  /** Rows of the condensed timeline. */
  static final int TIMELINE_STEP_SECONDS = 10;

  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  /**
   * The files a report was written to.
   *
   * @param markdown the report, {@code <profile>.md}
   * @param plot the latency plot, {@code <profile>-latency.png}
   * @param plotTextError why the plot has no text (title, axes, legend), when drawing text failed
   *     on this machine (no fonts); the report says so and names the colours instead
   */
  public record Written(Path markdown, Path plot, Optional<String> plotTextError) {}

  private LoadReport() {}

  /**
   * Writes {@code summary}'s report and plot into {@code dir} (created when missing), replacing
   * earlier ones of the same profile.
   *
   * @param limits the latency rules the plot draws as dashed lines
   */
  public static Written write(Path dir, LoadSummary summary, LatencyLimits limits)
      throws IOException {
    Files.createDirectories(dir);
    String name = fileName(summary.profile());
    Path png = dir.resolve(name + "-latency.png");
    Path md = dir.resolve(name + ".md");
    LatencyPlot.Plot plot = LatencyPlot.render(summary, limits);
    plot.writePng(png);
    Files.writeString(
        md,
        markdown(summary, png.getFileName().toString(), plot.textError()),
        StandardCharsets.UTF_8);
    return new Written(md, png, plot.textError());
  }

  /** The profile's name as a file name: anything but letters, digits, '.', '_' and '-' as '_'. */
  static String fileName(String profile) {
    String name = profile.replaceAll("[^A-Za-z0-9._-]", "_");
    return name.isEmpty() || name.startsWith(".") ? "_" + name : name;
  }

  static String markdown(LoadSummary s, String plotFile, Optional<String> plotTextError) {
    StringBuilder md = new StringBuilder();
    md.append("# Load test `")
        .append(s.profile())
        .append("`: ")
        .append(s.passed() ? "PASS ✅" : "FAIL ❌")
        .append("\n\n");
    md.append("- URL: ").append(s.url()).append('\n');
    md.append("- started: ").append(UTC.format(s.started())).append('\n');
    md.append("- duration: ").append(duration(s.duration())).append("\n\n");

    md.append("## Thresholds\n\n");
    if (s.thresholds().isEmpty()) {
      md.append("No thresholds were set.\n\n");
    } else {
      md.append("| threshold | limit | measured | result |\n|---|---|---|---|\n");
      for (Threshold t : s.thresholds()) {
        row(md, t.name(), t.limit(), t.measured(), t.passed() ? "✅" : "❌");
      }
      md.append('\n');
    }

    md.append("## Results\n\n| | |\n|---|---|\n");
    row(md, "devices (asked, by transport)", devices(s.devicesByTransport()));
    row(md, "connect attempts", count(s.connectAttempts()));
    row(
        md,
        "connected (opened and subscribed)",
        count(s.connected()) + " (" + percent(s.connected(), s.connectAttempts()) + ")");
    row(md, "dropped by the server", count(s.dropped()));
    row(md, "HTTP sends", count(s.sent()));
    row(
        md,
        "HTTP sends failed",
        count(s.httpFailed()) + " (" + percent(s.httpFailed(), s.sent()) + ")");
    row(md, "deliveries expected (server's delivered_to, summed)", count(s.expected()));
    row(
        md,
        "deliveries received",
        count(s.received()) + " (" + percent(s.received(), s.expected()) + ")");
    row(md, "message latency p50 / p95 / p99 / max", latency(s.messageLatency()));
    row(md, "HTTP latency p50 / p95 / p99 / max", latency(s.httpLatency()));
    row(
        md,
        "server CPU per 1,000 deliveries",
        s.serverCpuSecondsPerThousand() >= 0
            ? ms(s.serverCpuSecondsPerThousand() * 1000) + " ms"
            : "not measured (server not local)");
    md.append('\n');

    md.append("## Latency over time\n\n![latency](").append(plotFile).append(")\n\n");
    if (plotTextError.isPresent()) {
      md.append("The plot has no text: drawing it failed on this machine (")
          .append(plotTextError.get())
          .append("; fontconfig and a font package fix that). Lines: ")
          .append(
              LatencyPlot.SERIES.stream()
                  .map(x -> x.label() + " " + x.colourName())
                  .collect(Collectors.joining(", ")))
          .append(
              "; dashed: the limits, a darker shade of their line's colour; grey strip below: "
                  + "devices connected. Log scale.\n\n");
    }

    if (!s.notes().isEmpty()) {
      md.append("## Notes\n\n");
      s.notes().forEach(n -> md.append("- ").append(n).append('\n'));
      md.append('\n');
    }

    timeline(md, s.timeline());
    return md.toString();
  }

  private static void timeline(StringBuilder md, List<SecondSample> timeline) {
    md.append("## Timeline, per ").append(TIMELINE_STEP_SECONDS).append(" s\n\n");
    if (timeline.isEmpty()) {
      md.append("No samples.\n");
      return;
    }
    md.append(
        "Devices: connected at the end of the 10 s; sent and received: summed over the 10 s; "
            + "latencies: the max over the 10 s of the per-second percentiles (– when nothing was "
            + "measured).\n\n");
    md.append(
        "| seconds | devices | sent | received | msg p95 ms (max over the 10 s) "
            + "| msg p99 ms (max over the 10 s) | http p95 ms (max over the 10 s) "
            + "| http p99 ms (max over the 10 s) |\n");
    md.append("|---|--:|--:|--:|--:|--:|--:|--:|\n");
    TreeMap<Integer, List<SecondSample>> rows =
        timeline.stream()
            .collect(
                Collectors.groupingBy(
                    x -> Math.floorDiv(x.second(), TIMELINE_STEP_SECONDS),
                    TreeMap::new,
                    Collectors.toList()));
    for (List<SecondSample> row : rows.values()) {
      SecondSample first = row.stream().min((a, b) -> a.second() - b.second()).orElseThrow();
      SecondSample last = row.stream().max((a, b) -> a.second() - b.second()).orElseThrow();
      row(
          md,
          first.second() == last.second()
              ? String.valueOf(first.second())
              : first.second() + "–" + last.second(),
          count(last.devices()),
          count(row.stream().mapToLong(SecondSample::sent).sum()),
          count(row.stream().mapToLong(SecondSample::received).sum()),
          max(row, SecondSample::messageLatency, Percentiles::p95Ms),
          max(row, SecondSample::messageLatency, Percentiles::p99Ms),
          max(row, SecondSample::httpLatency, Percentiles::p95Ms),
          max(row, SecondSample::httpLatency, Percentiles::p99Ms));
    }
  }

  private static String max(
      List<SecondSample> row,
      Function<SecondSample, Percentiles> kind,
      ToDoubleFunction<Percentiles> value) {
    OptionalDouble max = row.stream().map(kind).filter(p -> p.count() > 0).mapToDouble(value).max();
    return max.isPresent() ? ms(max.getAsDouble()) : "–";
  }

  private static void row(StringBuilder md, String... cells) {
    md.append('|');
    for (String cell : cells) {
      md.append(' ').append(cell.replace("|", "\\|").replace('\n', ' ')).append(" |");
    }
    md.append('\n');
  }

  private static String devices(Map<String, Integer> byTransport) {
    if (byTransport.isEmpty()) {
      return "none";
    }
    String each =
        byTransport.entrySet().stream()
            .map(e -> count(e.getValue()) + " " + e.getKey())
            .collect(Collectors.joining(", "));
    long all = byTransport.values().stream().mapToLong(Integer::longValue).sum();
    return byTransport.size() == 1 ? each : each + " (" + count(all) + " in all)";
  }

  private static String latency(Percentiles p) {
    if (p.count() == 0) {
      return "none measured";
    }
    return String.format(
        Locale.ROOT,
        "%s / %s / %s / %s ms (%s measured)",
        ms(p.p50Ms()),
        ms(p.p95Ms()),
        ms(p.p99Ms()),
        ms(p.maxMs()),
        count(p.count()));
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String ms(double ms) {
    return String.format(Locale.ROOT, "%,.1f", ms);
  }

  /**
   * {@code part} of {@code whole} with one decimal, never rounded to 100.0% or 0.0% when it is not:
   * 99.96% is "> 99.9%", 0.04% is "< 0.1%".
   */
  static String percent(long part, long whole) {
    if (whole <= 0) {
      return "n/a";
    }
    double p = 100.0 * part / whole;
    if (part != whole && p > 99.9 && p < 100) {
      return "> 99.9%";
    }
    if (part != 0 && p < 0.1 && p > 0) {
      return "< 0.1%";
    }
    return String.format(Locale.ROOT, "%,.1f%%", p);
  }

  /** 45 s, 2 min 05 s, 1 h 02 min 03 s; fractions of a second only under a minute. */
  static String duration(Duration d) {
    long seconds = d.toSeconds();
    if (seconds < 60) {
      double exact = d.toMillis() / 1000.0;
      return exact == Math.rint(exact)
          ? seconds + " s"
          : String.format(Locale.ROOT, "%.1f s", exact);
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }
    return String.format(
        Locale.ROOT, "%d h %02d min %02d s", seconds / 3600, seconds / 60 % 60, seconds % 60);
  }
}
