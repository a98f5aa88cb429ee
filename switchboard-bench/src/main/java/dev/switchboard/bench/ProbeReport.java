package dev.switchboard.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The probe's table: one row per attack with what the server did, how fast it refused, its memory,
 * the health of {@code /health} meanwhile, and a verdict, then the notes each attack left (the
 * details behind a cell).
 */
final class ProbeReport {

  /** Healthy: every {@code /health} during the attack answered 200, none slower than this. */
  static final double HEALTHY_MAX_MILLIS = 1000;

  /**
   * Memory bounded, unless an attack says otherwise: the peak RSS stayed within this of the RSS
   * before.
   */
  static final long DEFAULT_ALLOWANCE_KB = 128 * 1024;

  /**
   * What one attack found.
   *
   * @param serverDid status, close code, whether the connection was closed
   * @param timeToRefusal how long the server took to refuse (or what stands for it)
   * @param quick whether that was as quick as expected
   * @param allowanceKb how far the server's peak RSS may rise above the RSS before and still count
   *     as bounded
   * @param judgeHealth false where {@code /health} is meant to stop answering (shutdown)
   * @param notes details for the notes below the table
   */
  record Outcome(
      String serverDid,
      String timeToRefusal,
      Check quick,
      long allowanceKb,
      boolean judgeHealth,
      List<String> notes) {

    static Outcome of(String serverDid, String timeToRefusal, boolean quick, List<String> notes) {
      return new Outcome(
          serverDid,
          timeToRefusal,
          quick ? Check.YES : Check.NO,
          DEFAULT_ALLOWANCE_KB,
          true,
          List.copyOf(notes));
    }

    /**
     * For an attack that is not to be refused (connecting many devices): no "refused quickly"
     * verdict.
     */
    Outcome quickNotJudged() {
      return new Outcome(
          serverDid, timeToRefusal, Check.NOT_APPLICABLE, allowanceKb, judgeHealth, notes);
    }

    static Outcome failed(String attack, Exception e) {
      return of(
          "probe failed: " + e, "-", false, List.of(attack + ": the probe itself failed: " + e));
    }

    Outcome allowance(long kb) {
      return new Outcome(serverDid, timeToRefusal, quick, kb, judgeHealth, notes);
    }

    Outcome healthNotJudged() {
      return new Outcome(serverDid, timeToRefusal, quick, allowanceKb, false, notes);
    }
  }

  /** A verdict that may not apply. */
  enum Check {
    YES,
    NO,
    NOT_APPLICABLE
  }

  /** One row: the attack's outcome with the server's memory and health around it. */
  record Row(
      String id,
      String attack,
      String server,
      Outcome outcome,
      OptionalLong rssBeforeKb,
      OptionalLong rssAfterKb,
      ProbeHealth.Stats health,
      Duration took) {

    boolean healthy() {
      return health.failureCount() == 0
          && !health.latenciesMillis().isEmpty()
          && health.max() < HEALTHY_MAX_MILLIS;
    }

    boolean memoryBounded() {
      long peak = Math.max(health.peakRssKb(), rssAfterKb.orElse(-1));
      return rssBeforeKb.isPresent() && peak - rssBeforeKb.getAsLong() <= outcome.allowanceKb();
    }
  }

  private final List<Row> rows = new ArrayList<>();

  void add(Row row) {
    rows.add(row);
  }

  /**
   * Whether every attack was refused quickly (where that applies), left the server healthy and
   * memory bounded.
   */
  boolean allAsExpected() {
    return rows.stream()
        .allMatch(
            r ->
                r.outcome().quick() != Check.NO
                    && (!r.outcome().judgeHealth() || r.healthy())
                    && r.memoryBounded());
  }

  void print(PrintStream out) {
    out.println(
        "| # | attack | what the server did | time to refusal | server RSS before → after (peak), MB "
            + "| /health during: p50 / max ms (failures) | verdict: refused quickly / healthy / memory bounded |");
    out.println("| --- | --- | --- | --- | --- | --- | --- |");
    for (Row r : rows) {
      out.printf(
          "| %s | %s | %s | %s | %s | %s | %s |%n",
          r.id(),
          cell(r.attack()),
          cell(r.outcome().serverDid()),
          cell(r.outcome().timeToRefusal()),
          rss(r),
          health(r.health()),
          verdict(r));
    }
    out.println();
    out.println(
        "Verdicts: healthy = every /health answered 200 within "
            + (int) HEALTHY_MAX_MILLIS
            + " ms; memory bounded = peak RSS at most the attack's allowance above the RSS before (default "
            + DEFAULT_ALLOWANCE_KB / 1024
            + " MB).");
    out.println();
    out.println("Notes:");
    for (Row r : rows) {
      out.printf(
          "- **%s %s** (server %s, %.1f s):%n",
          r.id(), r.attack(), r.server(), r.took().toMillis() / 1e3);
      for (String note : r.outcome().notes()) {
        out.println("  - " + note);
      }
      if (!r.health().failures().isEmpty()) {
        out.println(
            "  - /health failures: "
                + r.health().failures().entrySet().stream()
                    .map(e -> e.getValue() + " × " + e.getKey())
                    .collect(Collectors.joining(", ")));
      }
    }
  }

  private static String rss(Row r) {
    String before = r.rssBeforeKb().isPresent() ? mb(r.rssBeforeKb().getAsLong()) : "?";
    String after = r.rssAfterKb().isPresent() ? mb(r.rssAfterKb().getAsLong()) : "exited";
    long peakKb =
        Math.max(
            r.health().peakRssKb(),
            Math.max(r.rssBeforeKb().orElse(-1), r.rssAfterKb().orElse(-1)));
    String peak = peakKb >= 0 ? mb(peakKb) : "?";
    return before + " → " + after + " (" + peak + ")";
  }

  private static String health(ProbeHealth.Stats h) {
    if (h.latenciesMillis().isEmpty()) {
      return "no answer (" + h.failureCount() + ")";
    }
    return String.format(
        Locale.ROOT,
        "%.1f / %.1f (%d of %d)",
        h.p50(),
        h.max(),
        h.failureCount(),
        h.failureCount() + h.latenciesMillis().size());
  }

  private static String verdict(Row r) {
    Check quick = r.outcome().quick();
    return (quick == Check.NOT_APPLICABLE ? "n/a" : yes(quick == Check.YES))
        + " / "
        + (r.outcome().judgeHealth() ? yes(r.healthy()) : "n/a")
        + " / "
        + yes(r.memoryBounded());
  }

  private static String yes(boolean b) {
    return b ? "yes" : "**no**";
  }

  static String mb(long kb) {
    return Long.toString(Math.round(kb / 1024.0));
  }

  static String millis(long nanos) {
    double ms = nanos / 1e6;
    return ms < 1000
        ? String.format(Locale.ROOT, "%.0f ms", ms)
        : String.format(Locale.ROOT, "%.1f s", ms / 1e3);
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
