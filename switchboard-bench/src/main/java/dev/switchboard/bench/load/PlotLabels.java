package dev.switchboard.bench.load;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.util.List;
import java.util.Locale;

/** The latency plot's text: title, axes' labels and ticks, the legend's labels. */
final class PlotLabels {

  /** Draws the text of a plot; may fail where the platform has no fonts. */
  @FunctionalInterface
  interface Painter {
    void paint(Graphics2D g, PlotFrame frame, String title, List<LatencyPlot.LegendEntry> legend);
  }

  private static final Color TEXT = new Color(0x222222);
  private static final Color MUTED = new Color(0x666666);

  private PlotLabels() {}

  static void paint(Graphics2D g, PlotFrame f, String title, List<LatencyPlot.LegendEntry> legend) {
    Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    int paneMiddle = (PlotFrame.LEFT + PlotFrame.RIGHT) / 2;

    g.setColor(TEXT);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
    centered(g, title, paneMiddle, 26);
    g.setFont(small);
    g.setColor(MUTED);
    centered(
        g,
        "per second; message = HTTP send start to the device reading it; "
            + "a gap is a second without samples",
        paneMiddle,
        46);

    g.setFont(plain);
    g.setColor(TEXT);
    FontMetrics m = g.getFontMetrics();
    int half = m.getAscent() / 2 - 1;
    for (double ms : f.latencyTicks()) {
      right(g, milliseconds(ms), PlotFrame.LEFT - 8, (int) Math.round(f.yLatency(ms)) + half);
    }
    for (long d : f.deviceTicks()) {
      right(
          g,
          String.format(Locale.ROOT, "%,d", d),
          PlotFrame.LEFT - 8,
          (int) Math.round(f.yDevices(d)) + half);
    }
    for (int s : f.secondTicks()) {
      centered(
          g,
          String.format(Locale.ROOT, "%,d", s),
          (int) Math.round(f.x(s)),
          PlotFrame.DEVICES_BOTTOM + 8 + m.getAscent());
    }
    centered(g, "seconds since the start", paneMiddle, PlotFrame.DEVICES_BOTTOM + 50);
    vertical(g, "latency, ms (log scale)", 22, (PlotFrame.TOP + PlotFrame.LATENCY_BOTTOM) / 2);
    vertical(g, "devices", 22, (PlotFrame.DEVICES_TOP + PlotFrame.DEVICES_BOTTOM) / 2);

    for (int i = 0; i < legend.size(); i++) {
      g.drawString(legend.get(i).label(), PlotFrame.LEGEND_X + 34, PlotFrame.legendY(i) + half);
    }
    if (f.empty) {
      g.setColor(MUTED);
      centered(g, "no samples", paneMiddle, (PlotFrame.TOP + PlotFrame.LATENCY_BOTTOM) / 2);
    }
  }

  /** 0.01, 0.5, 2, 1,000. */
  static String milliseconds(double ms) {
    if (ms >= 1) {
      return String.format(Locale.ROOT, "%,.0f", ms);
    }
    return java.math.BigDecimal.valueOf(ms).round(new java.math.MathContext(1)).toPlainString();
  }

  private static void centered(Graphics2D g, String text, int x, int baseline) {
    g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, baseline);
  }

  private static void right(Graphics2D g, String text, int x, int baseline) {
    g.drawString(text, x - g.getFontMetrics().stringWidth(text), baseline);
  }

  /** {@code text} turned a quarter left, centred on {@code y}, its baseline at {@code x}. */
  private static void vertical(Graphics2D g, String text, int x, int y) {
    AffineTransform saved = g.getTransform();
    g.translate(x, y);
    g.rotate(-Math.PI / 2);
    centered(g, text, 0, 0);
    g.setTransform(saved);
  }
}
