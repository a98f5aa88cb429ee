package dev.switchboard.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output of {@code jcmd <pid> GC.class_histogram}: instances and bytes of live objects per
 * class, and their total.
 *
 * @param classes per class name (the module suffix dropped)
 * @param totalBytes the {@code Total} line's bytes: the live heap
 */
record ClassHistogram(Map<String, Entry> classes, long totalBytes) {

  private static final Pattern ROW =
      Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
  private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)");

  /** Instances and bytes of one class. */
  record Entry(long instances, long bytes) {}

  /** One class's growth between two histograms. */
  record Growth(String className, long instances, long bytes) {}

  ClassHistogram {
    classes = Map.copyOf(classes);
  }

  /**
   * Parses {@code jcmd GC.class_histogram} output.
   *
   * @throws BenchmarkException when it has no {@code Total} line
   */
  static ClassHistogram parse(String output) {
    Map<String, Entry> classes = new HashMap<>();
    Matcher row = ROW.matcher(output);
    while (row.find()) {
      classes.merge(
          row.group(3),
          new Entry(Long.parseLong(row.group(1)), Long.parseLong(row.group(2))),
          (a, b) -> new Entry(a.instances() + b.instances(), a.bytes() + b.bytes()));
    }
    Matcher total = TOTAL.matcher(output);
    if (!total.find()) {
      throw new BenchmarkException(
          "GC.class_histogram printed no Total line: "
              + output.substring(0, Math.min(200, output.length())));
    }
    return new ClassHistogram(classes, Long.parseLong(total.group(1)));
  }

  /**
   * The {@code limit} classes that grew most in bytes from {@code before} to this, largest first.
   */
  List<Growth> grownSince(ClassHistogram before, int limit) {
    List<Growth> grown = new ArrayList<>();
    classes.forEach(
        (name, after) -> {
          Entry was = before.classes().getOrDefault(name, new Entry(0, 0));
          grown.add(
              new Growth(name, after.instances() - was.instances(), after.bytes() - was.bytes()));
        });
    grown.sort(Comparator.comparingLong(Growth::bytes).reversed());
    return List.copyOf(grown.subList(0, Math.min(limit, grown.size())));
  }
}
