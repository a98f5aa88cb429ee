package dev.switchboard.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadReportTest {

  private static final LatencyLimits LIMITS = new LatencyLimits(100, 500, 50, 100);

  @TempDir Path dir;

  @Test
  void aFailingRunHeadlinesFailMarksTheRuleAndEmbedsAPlotWithGaps() throws IOException {
    LoadReport.Written written =
        LoadReport.write(
            dir,
            summary(
                "soak",
                0.042,
                new Threshold("connected", "> 95%", "99.0%", true),
                new Threshold("message latency p95", "< 100 ms", "40.0 ms", true),
                new Threshold("message latency p99", "< 500 ms", "620.0 ms", false)),
            LIMITS);

    assertThat(written.markdown()).isEqualTo(dir.resolve("soak.md"));
    assertThat(written.plot()).isEqualTo(dir.resolve("soak-latency.png"));
    String md = Files.readString(written.markdown());
    assertThat(md).startsWith("# Load test `soak`: FAIL ❌\n");
    assertThat(md)
        .contains("- URL: http://localhost:8080")
        .contains("- started: 2026-03-01 12:00:00 UTC")
        .contains("- duration: 45 s")
        .contains("| message latency p95 | < 100 ms | 40.0 ms | ✅ |")
        .contains("| message latency p99 | < 500 ms | 620.0 ms | ❌ |")
        .contains("| devices (asked, by transport) | 150 ws, 40 sse, 10 wt (200 in all) |")
        .contains("| connected (opened and subscribed) | 198 (99.0%) |")
        .contains("| HTTP sends failed | 1 (0.3%) |")
        .contains("| deliveries expected (server's delivered_to, summed) | 5,300 |")
        .contains("| deliveries received | 5,250 (99.1%) |")
        .contains("| message latency p50 / p95 / p99 / max | 6.0 / 40.0 / 620.0 / 1,234.5 ms")
        .contains("| server CPU per 1,000 deliveries | 42.0 ms |")
        .contains("![latency](soak-latency.png)")
        .contains("- WebTransport devices used the development certificate")
        .contains("max over the 10 s")
        .contains("| 0–9 | 90 | 100 | 1,500 | 40.0 | 80.0 | 10.0 | 20.0 |")
        .contains("| 20–29 | 200 | 0 | 0 | – | – | – | – |")
        .contains("| 30–39 | 200 | 100 | 1,500 | 40.0 | 620.0 | 10.0 | 20.0 |")
        .contains("| 40–44 | 200 | 50 | 750 | 40.0 | 80.0 | 10.0 | 20.0 |");
    assertThat(md.contains("The plot has no text")).isEqualTo(written.plotTextError().isPresent());

    BufferedImage png = ImageIO.read(written.plot().toFile());
    assertThat(png.getWidth()).isEqualTo(1200);
    assertThat(png.getHeight()).isEqualTo(700);
    assertThat(pixels(png, LatencyPlot.MESSAGE_P99, 0, png.getWidth())).isGreaterThan(200);
    // Seconds 20 to 29 measured nothing: no latency line crosses them (the dashed limits do).
    int from = (int) Math.ceil(x(21));
    int to = (int) x(28);
    for (LatencyPlot.Series s : LatencyPlot.SERIES) {
      assertThat(pixels(png, s.color(), from, to)).as(s.label()).isZero();
      assertThat(pixels(png, s.color(), 0, png.getWidth())).as(s.label()).isGreaterThan(50);
    }
  }

  @Test
  void aPassingRunHeadlinesPassAndOverwritesInADirectoryItCreates() throws IOException {
    Path nested = dir.resolve("reports/today");
    LoadSummary summary =
        summary("smoke", -1, new Threshold("message latency p95", "< 100 ms", "40.0 ms", true));
    LoadReport.write(nested, summary, LIMITS);
    LoadReport.Written written = LoadReport.write(nested, summary, LIMITS);

    String md = Files.readString(written.markdown());
    assertThat(md).startsWith("# Load test `smoke`: PASS ✅\n").doesNotContain("FAIL");
    assertThat(md)
        .contains("| server CPU per 1,000 deliveries | not measured (server not local) |");
    assertThat(md).contains("![latency](smoke-latency.png)");
    assertThat(ImageIO.read(written.plot().toFile()).getWidth()).isEqualTo(1200);
    try (var files = Files.list(nested)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("smoke.md", "smoke-latency.png");
    }
  }

  @Test
  void whenDrawingTextFailsThePlotComesWithoutTextAndTheReportSaysSo() {
    Color magenta = new Color(0xFF00FF);
    LatencyPlot.Plot plot =
        LatencyPlot.render(
            summary("soak", -1),
            LIMITS,
            (g, frame, title, legend) -> {
              g.setColor(magenta);
              g.fillRect(0, 0, 100, 100);
              throw new InternalError(
                  "Fontconfig head is null, check your fonts or fonts configuration");
            });

    assertThat(plot.labelsOmitted()).isTrue();
    assertThat(plot.textError()).hasValueSatisfying(e -> assertThat(e).contains("Fontconfig"));
    // Not half-labelled: what the failed text drawing did is gone.
    assertThat(pixels(plot.image(), magenta, 0, 1200)).isZero();
    assertThat(pixels(plot.image(), LatencyPlot.MESSAGE_P99, 0, 1200)).isGreaterThan(200);
    assertThat(LoadReport.markdown(summary("soak", -1), "soak-latency.png", plot.textError()))
        .contains("The plot has no text")
        .contains("message p99 red");
  }

  @Test
  void numbersForHumans() {
    assertThat(LoadReport.percent(9_996, 10_000)).isEqualTo("> 99.9%");
    assertThat(LoadReport.percent(4, 10_000)).isEqualTo("< 0.1%");
    assertThat(LoadReport.percent(0, 0)).isEqualTo("n/a");
    assertThat(LoadReport.duration(Duration.ofSeconds(3723))).isEqualTo("1 h 02 min 03 s");
    assertThat(LoadReport.duration(Duration.ofSeconds(125))).isEqualTo("2 min 05 s");
    assertThat(LoadReport.fileName("my soak/1")).isEqualTo("my_soak_1");
    assertThat(PlotLabels.milliseconds(0.05)).isEqualTo("0.05");
    assertThat(PlotLabels.milliseconds(2000)).isEqualTo("2,000");
  }

  /** 45 s: devices ramp 10/s to 200; seconds 20 to 29 measure nothing; p99 spikes in 30 to 34. */
  private static LoadSummary summary(String profile, double cpu, Threshold... thresholds) {
    List<SecondSample> timeline = new ArrayList<>();
    for (int second = 0; second < 45; second++) {
      boolean idle = second >= 20 && second < 30;
      double p99 = second >= 30 && second < 35 ? 620 : 80;
      timeline.add(
          new SecondSample(
              second,
              Math.min(200, second * 10),
              idle ? 0 : 10,
              idle ? 0 : 150,
              idle ? Percentiles.NONE : new Percentiles(150, 5 + second % 3, 40, p99, p99 + 10),
              idle ? Percentiles.NONE : new Percentiles(10, 4, 10, 20, 25)));
    }
    Map<String, Integer> devices = new LinkedHashMap<>();
    devices.put("ws", 150);
    devices.put("sse", 40);
    devices.put("wt", 10);
    return new LoadSummary(
        profile,
        URI.create("http://localhost:8080"),
        Instant.parse("2026-03-01T12:00:00Z"),
        Duration.ofSeconds(45),
        devices,
        200,
        198,
        2,
        350,
        1,
        5_300,
        5_250,
        new Percentiles(5_250, 6, 40, 620, 1234.5),
        new Percentiles(350, 4, 10, 20, 25),
        cpu,
        List.of(thresholds),
        timeline,
        List.of("WebTransport devices used the development certificate"));
  }

  /** The x of {@code second} on the plot of {@link #summary} (seconds 0 to 44). */
  private static double x(double second) {
    return PlotFrame.LEFT + second / 44 * (PlotFrame.RIGHT - PlotFrame.LEFT);
  }

  /** Pixels of exactly {@code colour} in columns {@code from} to {@code to} (exclusive). */
  private static int pixels(BufferedImage image, Color colour, int from, int to) {
    int rgb = colour.getRGB() & 0xFFFFFF;
    int n = 0;
    for (int x = from; x < to; x++) {
      for (int y = 0; y < image.getHeight(); y++) {
        if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
          n++;
        }
      }
    }
    return n;
  }
}
