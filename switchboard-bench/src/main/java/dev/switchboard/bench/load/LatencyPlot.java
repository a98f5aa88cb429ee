package dev.switchboard.bench.load;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * A run's timeline as a PNG: message latency p50/p95/p99 and HTTP send latency p95/p99 per second
 * on a log scale, the latency limits as dashed lines, and under it a strip of the devices connected
 * per second. A second without samples of a kind leaves a gap in its lines. Drawn headless into a
 * {@link BufferedImage}; text needs the platform's fonts, and where drawing it fails (no fontconfig
 * or no fonts) the plot comes without text rather than not at all.
 */
public final class LatencyPlot {

  static final Color MESSAGE_P50 = new Color(0x1F77B4);
  static final Color MESSAGE_P95 = new Color(0xFF7F0E);
  static final Color MESSAGE_P99 = new Color(0xD62728);
  static final Color HTTP_P95 = new Color(0x2CA02C);
  static final Color HTTP_P99 = new Color(0x9467BD);
  static final Color DEVICES = new Color(0x555555);

  /**
   * A latency line: its label, colour (and the colour's name, for a plot without text) and value in
   * a second (empty when nothing was measured).
   */
  record Series(
      String label, Color color, String colourName, Function<SecondSample, OptionalDouble> value) {}

  /** A dashed limit line. */
  record Limit(String label, Color color, double ms) {}

  /** A legend row: a short line (dashed or not) in {@code color}, then {@code label}. */
  record LegendEntry(String label, Color color, boolean dashed) {}

  static final List<Series> SERIES =
      List.of(
          series(
              "message p50", MESSAGE_P50, "blue", SecondSample::messageLatency, Percentiles::p50Ms),
          series(
              "message p95",
              MESSAGE_P95,
              "orange",
              SecondSample::messageLatency,
              Percentiles::p95Ms),
          series(
              "message p99", MESSAGE_P99, "red", SecondSample::messageLatency, Percentiles::p99Ms),
          series("HTTP p95", HTTP_P95, "green", SecondSample::httpLatency, Percentiles::p95Ms),
          series("HTTP p99", HTTP_P99, "purple", SecondSample::httpLatency, Percentiles::p99Ms));

  static {
    // No display is needed (or wanted) to draw into an image; unless the JVM was told otherwise.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /**
   * A rendered plot.
   *
   * @param image the plot, 1200 x 700 pixels
   * @param textError why the plot has no text (title, axes' labels, legend's labels), when drawing
   *     text failed; empty when it has its text
   */
  public record Plot(BufferedImage image, Optional<String> textError) {

    /** True when the plot was drawn without its text. */
    public boolean labelsOmitted() {
      return textError.isPresent();
    }

    /** Writes the image as a PNG to {@code file}, replacing what is there. */
    public void writePng(Path file) throws IOException {
      if (!ImageIO.write(image, "png", file.toFile())) {
        throw new IOException("no PNG writer in this JVM's ImageIO");
      }
    }
  }

  private LatencyPlot() {}

  /** The plot of {@code summary}'s timeline with {@code limits} as dashed lines. */
  public static Plot render(LoadSummary summary, LatencyLimits limits) {
    return render(summary, limits, PlotLabels::paint);
  }

  /** As {@link #render(LoadSummary, LatencyLimits)}, with {@code text} drawing the text. */
  static Plot render(LoadSummary summary, LatencyLimits limits, PlotLabels.Painter text) {
    List<SecondSample> timeline =
        summary.timeline().stream().sorted(Comparator.comparingInt(SecondSample::second)).toList();
    List<Limit> lines = limits(limits);
    List<Double> latencies = new ArrayList<>();
    for (Series s : SERIES) {
      timeline.forEach(sample -> s.value().apply(sample).ifPresent(latencies::add));
    }
    lines.forEach(l -> latencies.add(l.ms()));
    PlotFrame frame =
        new PlotFrame(timeline, latencies.stream().mapToDouble(Double::doubleValue).toArray());
    List<LegendEntry> legend = new ArrayList<>();
    SERIES.forEach(s -> legend.add(new LegendEntry(s.label(), s.color(), false)));
    lines.forEach(l -> legend.add(new LegendEntry(l.label(), l.color(), true)));
    legend.add(new LegendEntry("devices connected", DEVICES, false));

    BufferedImage base =
        new BufferedImage(PlotFrame.WIDTH, PlotFrame.HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = graphics(base);
    try {
      PlotGraph.paint(g, frame, timeline, lines, legend);
    } finally {
      g.dispose();
    }
    // The text goes on a copy: if it fails half-way, the plot without any text is the answer.
    BufferedImage labelled =
        new BufferedImage(
            base.getColorModel(), base.copyData(null), base.isAlphaPremultiplied(), null);
    Graphics2D t = graphics(labelled);
    try {
      text.paint(t, frame, "Load test " + summary.profile(), legend);
      return new Plot(labelled, Optional.empty());
    } catch (RuntimeException | Error e) {
      // Font trouble surfaces as anything from an InternalError (a VirtualMachineError, so that
      // cannot be the test) or UnsatisfiedLinkError to a NullPointerException deep in sun.font;
      // running out of memory or stack is not font trouble.
      if (e instanceof OutOfMemoryError || e instanceof StackOverflowError) {
        throw e;
      }
      return new Plot(base, Optional.of(e.toString()));
    } finally {
      t.dispose();
    }
  }

  private static Series series(
      String label,
      Color color,
      String colourName,
      Function<SecondSample, Percentiles> kind,
      ToDoubleFunction<Percentiles> value) {
    return new Series(
        label,
        color,
        colourName,
        sample -> {
          Percentiles p = kind.apply(sample);
          return p.count() > 0 ? OptionalDouble.of(value.applyAsDouble(p)) : OptionalDouble.empty();
        });
  }

  private static List<Limit> limits(LatencyLimits limits) {
    List<Limit> all =
        List.of(
            limit("message p95", MESSAGE_P95, limits.messageP95Ms()),
            limit("message p99", MESSAGE_P99, limits.messageP99Ms()),
            limit("HTTP p95", HTTP_P95, limits.httpP95Ms()),
            limit("HTTP p99", HTTP_P99, limits.httpP99Ms()));
    return all.stream().filter(l -> l.ms() > 0 && Double.isFinite(l.ms())).toList();
  }

  private static Limit limit(String what, Color color, double ms) {
    String value =
        ms == Math.rint(ms)
            ? String.format(Locale.ROOT, "%,.0f", ms)
            : String.format(Locale.ROOT, "%,.1f", ms);
    return new Limit(what + " limit " + value + " ms", color.darker(), ms);
  }

  private static Graphics2D graphics(BufferedImage image) {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    return g;
  }
}
