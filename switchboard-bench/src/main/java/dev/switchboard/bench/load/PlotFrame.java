package dev.switchboard.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Where things go on the latency plot: a latency pane (log scale) above a strip of connected
 * devices, both sharing the x axis (seconds since the start), and the legend to their right; the
 * ranges of the axes and the mapping of values to pixels.
 */
final class PlotFrame {

  static final int WIDTH = 1200;
  static final int HEIGHT = 700;
  static final int LEFT = 86;
  static final int RIGHT = 960;
  static final int TOP = 64;
  static final int LATENCY_BOTTOM = 470;
  static final int DEVICES_TOP = 500;
  static final int DEVICES_BOTTOM = 620;
  static final int LEGEND_X = 978;
  static final int LEGEND_TOP = 76;
  static final int LEGEND_ROW = 22;

  /** The x axis' seconds (nice steps, at most about a dozen ticks). */
  private static final int[] SECOND_STEPS = {
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400
  };

  /** The last second on the x axis (at least 1); the first is 0. */
  final int lastSecond;

  /** The latency axis spans 10^minDecade .. 10^maxDecade ms. */
  final int minDecade;

  final int maxDecade;

  /** The devices strip spans 0 .. devicesMax. */
  final long devicesMax;

  /** True when the timeline has no samples at all. */
  final boolean empty;

  /**
   * @param timeline the samples
   * @param latencies every latency the plot draws (series and limits), in ms; ones of 0 or less are
   *     ignored
   */
  PlotFrame(List<SecondSample> timeline, double[] latencies) {
    empty = timeline.isEmpty();
    lastSecond = Math.max(1, timeline.stream().mapToInt(SecondSample::second).max().orElse(1));
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (double ms : latencies) {
      if (ms > 0 && Double.isFinite(ms)) {
        min = Math.min(min, ms);
        max = Math.max(max, ms);
      }
    }
    if (max == 0) {
      minDecade = 0;
      maxDecade = 3;
    } else {
      // A little room past the extremes, so a limit of 100 ms is not the pane's top edge.
      minDecade = Math.max(-3, (int) Math.floor(Math.log10(min / 1.05)));
      maxDecade = Math.max(minDecade + 1, (int) Math.ceil(Math.log10(max * 1.05)));
    }
    devicesMax = niceCeiling(timeline.stream().mapToLong(SecondSample::devices).max().orElse(0));
  }

  double x(double second) {
    return LEFT + second / lastSecond * (RIGHT - LEFT);
  }

  /** The y of {@code ms} on the log scale, clamped to the pane. */
  double yLatency(double ms) {
    double decades = ms > 0 ? Math.log10(ms) : minDecade;
    double f = (decades - minDecade) / (maxDecade - minDecade);
    f = Math.max(0, Math.min(1, f));
    return LATENCY_BOTTOM - f * (LATENCY_BOTTOM - TOP);
  }

  double yDevices(double devices) {
    return DEVICES_BOTTOM - devices / devicesMax * (DEVICES_BOTTOM - DEVICES_TOP);
  }

  /** 1, 2 and 5 of each decade when the axis spans few decades, else the decades. */
  List<Double> latencyTicks() {
    boolean fine = maxDecade - minDecade <= 3;
    List<Double> ticks = new ArrayList<>();
    for (int d = minDecade; d <= maxDecade; d++) {
      double decade = Math.pow(10, d);
      ticks.add(decade);
      if (fine && d < maxDecade) {
        ticks.add(2 * decade);
        ticks.add(5 * decade);
      }
    }
    return ticks;
  }

  List<Integer> secondTicks() {
    int step = 86400 * (lastSecond / (86400 * 12) + 1);
    for (int s : SECOND_STEPS) {
      if (lastSecond / s <= 12) {
        step = s;
        break;
      }
    }
    List<Integer> ticks = new ArrayList<>();
    for (int s = 0; s <= lastSecond; s += step) {
      ticks.add(s);
    }
    return ticks;
  }

  List<Long> deviceTicks() {
    return devicesMax % 2 == 0 ? List.of(0L, devicesMax / 2, devicesMax) : List.of(0L, devicesMax);
  }

  /** The y of the legend's row {@code i}. */
  static int legendY(int i) {
    return LEGEND_TOP + i * LEGEND_ROW;
  }

  /**
   * A round axis maximum at least 5% above {@code n} (so a flat line at {@code n} is not the
   * strip's edge): 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 x 10^k, whole numbers only (at least 1).
   */
  static long niceCeiling(long n) {
    long target = n + (n + 19) / 20;
    for (long decade = 1; ; decade *= 10) {
      for (long m : new long[] {10, 12, 15, 20, 25, 30, 40, 50, 60, 80}) {
        if (m * decade % 10 == 0 && m * decade / 10 >= target) {
          return m * decade / 10;
        }
      }
    }
  }
}
