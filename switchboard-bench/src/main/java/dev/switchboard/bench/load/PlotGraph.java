package dev.switchboard.bench.load;

import dev.switchboard.bench.load.LatencyPlot.LegendEntry;
import dev.switchboard.bench.load.LatencyPlot.Limit;
import dev.switchboard.bench.load.LatencyPlot.Series;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/** The latency plot without its text: grid, axes, lines, limits, devices strip, legend swatches. */
final class PlotGraph {

  private static final Color DEVICES_FILL = new Color(0xDDDDDD);
  private static final Color GRID = new Color(0xE8E8E8);
  private static final Color AXIS = new Color(0x888888);
  private static final Stroke LINE =
      new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  private static final Stroke FINE =
      new BasicStroke(1f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  private static final Stroke THIN = new BasicStroke(1f);

  private PlotGraph() {}

  /**
   * Everything but text: grid, axes, limits, lines, the devices strip and the legend's swatches.
   */
  static void paint(
      Graphics2D g,
      PlotFrame f,
      List<SecondSample> timeline,
      List<Limit> limits,
      List<LegendEntry> legend) {
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, PlotFrame.WIDTH, PlotFrame.HEIGHT);
    g.setStroke(THIN);
    g.setColor(GRID);
    for (double ms : f.latencyTicks()) {
      g.draw(new Line2D.Double(PlotFrame.LEFT, f.yLatency(ms), PlotFrame.RIGHT, f.yLatency(ms)));
    }
    for (long d : f.deviceTicks()) {
      g.draw(new Line2D.Double(PlotFrame.LEFT, f.yDevices(d), PlotFrame.RIGHT, f.yDevices(d)));
    }
    for (int s : f.secondTicks()) {
      g.draw(new Line2D.Double(f.x(s), PlotFrame.TOP, f.x(s), PlotFrame.LATENCY_BOTTOM));
      g.draw(new Line2D.Double(f.x(s), PlotFrame.DEVICES_TOP, f.x(s), PlotFrame.DEVICES_BOTTOM));
    }

    int width = PlotFrame.RIGHT - PlotFrame.LEFT;
    g.setClip(
        PlotFrame.LEFT,
        PlotFrame.DEVICES_TOP - 1,
        width + 1,
        PlotFrame.DEVICES_BOTTOM - PlotFrame.DEVICES_TOP + 2);
    List<List<double[]>> deviceRuns = runs(timeline, s -> OptionalDouble.of(s.devices()));
    for (List<double[]> run : deviceRuns) {
      Path2D.Double area = path(run, f::yDevices, f);
      area.lineTo(f.x(run.getLast()[0]), PlotFrame.DEVICES_BOTTOM);
      area.lineTo(f.x(run.getFirst()[0]), PlotFrame.DEVICES_BOTTOM);
      area.closePath();
      g.setColor(DEVICES_FILL);
      g.fill(area);
    }
    drawRuns(g, f, deviceRuns, f::yDevices, LatencyPlot.DEVICES);

    g.setClip(
        PlotFrame.LEFT, PlotFrame.TOP - 1, width + 1, PlotFrame.LATENCY_BOTTOM - PlotFrame.TOP + 2);
    for (Series s : LatencyPlot.SERIES) {
      drawRuns(g, f, runs(timeline, s.value()), f::yLatency, s.color());
    }
    // The limits go over the lines, so a dense soak does not hide them; each its own dash phase, so
    // two limits at the same latency both show.
    for (int i = 0; i < limits.size(); i++) {
      Limit l = limits.get(i);
      g.setColor(l.color());
      g.setStroke(dashed(i * 3.5f));
      g.draw(
          new Line2D.Double(
              PlotFrame.LEFT, f.yLatency(l.ms()), PlotFrame.RIGHT, f.yLatency(l.ms())));
    }
    g.setClip(null);

    g.setStroke(THIN);
    g.setColor(AXIS);
    g.drawRect(PlotFrame.LEFT, PlotFrame.TOP, width, PlotFrame.LATENCY_BOTTOM - PlotFrame.TOP);
    g.drawRect(
        PlotFrame.LEFT,
        PlotFrame.DEVICES_TOP,
        width,
        PlotFrame.DEVICES_BOTTOM - PlotFrame.DEVICES_TOP);
    for (int s : f.secondTicks()) {
      g.draw(
          new Line2D.Double(
              f.x(s), PlotFrame.DEVICES_BOTTOM, f.x(s), PlotFrame.DEVICES_BOTTOM + 5));
    }
    for (double ms : f.latencyTicks()) {
      g.draw(new Line2D.Double(PlotFrame.LEFT - 5, f.yLatency(ms), PlotFrame.LEFT, f.yLatency(ms)));
    }
    for (long d : f.deviceTicks()) {
      g.draw(new Line2D.Double(PlotFrame.LEFT - 5, f.yDevices(d), PlotFrame.LEFT, f.yDevices(d)));
    }

    for (int i = 0; i < legend.size(); i++) {
      LegendEntry e = legend.get(i);
      int y = PlotFrame.legendY(i);
      g.setColor(e.color());
      g.setStroke(e.dashed() ? dashed(0) : LINE);
      g.draw(new Line2D.Double(PlotFrame.LEGEND_X, y, PlotFrame.LEGEND_X + 28, y));
    }
  }

  /**
   * The runs of consecutive seconds that have a value, each a list of {second, value}; a second
   * without one (or missing from the timeline) ends a run.
   */
  private static List<List<double[]>> runs(
      List<SecondSample> timeline, Function<SecondSample, OptionalDouble> value) {
    List<List<double[]>> runs = new ArrayList<>();
    List<double[]> run = null;
    int previous = Integer.MIN_VALUE;
    for (SecondSample sample : timeline) {
      OptionalDouble v = value.apply(sample);
      if (v.isEmpty()) {
        run = null;
        continue;
      }
      if (run == null || sample.second() != previous + 1) {
        run = new ArrayList<>();
        runs.add(run);
      }
      run.add(new double[] {sample.second(), v.getAsDouble()});
      previous = sample.second();
    }
    return runs;
  }

  private static Path2D.Double path(List<double[]> run, DoubleUnaryOperator y, PlotFrame f) {
    Path2D.Double path = new Path2D.Double();
    path.moveTo(f.x(run.getFirst()[0]), y.applyAsDouble(run.getFirst()[1]));
    for (double[] point : run.subList(1, run.size())) {
      path.lineTo(f.x(point[0]), y.applyAsDouble(point[1]));
    }
    return path;
  }

  /** Lines through the runs; a run of one second is a dot, so it still shows. */
  private static void drawRuns(
      Graphics2D g, PlotFrame f, List<List<double[]>> runs, DoubleUnaryOperator y, Color color) {
    g.setColor(color);
    // Over a long soak (several seconds a pixel) thick lines merge into bands.
    g.setStroke(f.lastSecond > (PlotFrame.RIGHT - PlotFrame.LEFT) / 2 ? FINE : LINE);
    for (List<double[]> run : runs) {
      if (run.size() == 1) {
        double cx = f.x(run.getFirst()[0]);
        double cy = y.applyAsDouble(run.getFirst()[1]);
        g.fill(new Ellipse2D.Double(cx - 2.5, cy - 2.5, 5, 5));
      } else {
        g.draw(path(run, y, f));
      }
    }
  }

  private static Stroke dashed(float phase) {
    return new BasicStroke(
        1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, phase);
  }
}
