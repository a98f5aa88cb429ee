package dev.switchboard.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code BenchMain connections} (issue 18): the memory of idle connections. Starts a production
 * server in a child JVM ({@link IdleServer}), measures it idle after a full collection, opens
 * {@code --count} idle authenticated devices ({@link IdleDevices}), waits for them to settle,
 * measures again, and prints the connect time, the heap, direct memory and RSS per connection, the
 * classes that grew most per connection, and last a JSON line.
 */
@Command(
    name = "connections",
    sortOptions = false,
    description = {
      "Idle connections (issue 18): opens N idle authenticated WebSockets to a",
      "production server in a child JVM and prints the connect time and the",
      "server's heap, direct memory and RSS per connection (after - before) / N,",
      "each after a full GC; the last line is one JSON object.",
      ""
    })
final class ConnectionsBenchCommand implements Callable<Integer> {

  private static final Duration SETTLE = Duration.ofSeconds(5);
  private static final int SPARE_FILES = 200;
  private static final Pattern OPEN_FILES =
      Pattern.compile("(?m)^Max open files\\s+(\\d+|unlimited)");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Idle connections to open (default ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--in-flight",
      paramLabel = "N",
      defaultValue = "500",
      description = "Handshakes in flight at once (default ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(
      names = "--top",
      paramLabel = "N",
      defaultValue = "15",
      description = "Classes of the heap histogram to list (default ${DEFAULT-VALUE}).")
  int top;

  @Option(
      names = "--timeout-seconds",
      paramLabel = "S",
      defaultValue = "300",
      description = "Give up when not all are open after this long (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (count < 1 || inFlight < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--count and --in-flight must be at least 1");
    }
    OptionalLong files = openFileLimit();
    if (files.isPresent() && count + SPARE_FILES > files.getAsLong()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--count "
              + count
              + " needs "
              + (count + SPARE_FILES)
              + " file descriptors in this JVM and in the server, but the open-file limit"
              + " (ulimit -n, RLIMIT_NOFILE) is "
              + files.getAsLong()
              + "; raise it (ulimit -n; the hard limit is `ulimit -Hn`) or lower --count");
    }
    PrintStream progress = System.err;
    PrintStream out = System.out;
    ConnectionsResult result;
    int stillOpen;
    try (IdleServer server = IdleServer.start(count);
        IdleDevices devices =
            new IdleDevices(Math.min(4, Runtime.getRuntime().availableProcessors()))) {
      Thread.sleep(SETTLE.toMillis());
      MemorySnapshot before = server.measure();
      progress.printf(
          Locale.ROOT,
          "connections: server idle: live heap %d bytes, direct %d, RSS %d%n",
          before.heapBytes(),
          before.directBytes(),
          before.rssBytes());
      DeviceTokens tokens =
          new DeviceTokens(server.secret(), Clock.systemUTC(), Duration.ofHours(1));
      long took =
          devices.open(
              server.port(), tokens, count, inFlight, Duration.ofSeconds(timeoutSeconds), progress);
      Thread.sleep(SETTLE.toMillis());
      MemorySnapshot after = server.measure();
      stillOpen = devices.open();
      result = new ConnectionsResult(count, took, before, after);
      out.printf(
          Locale.ROOT,
          "%d idle connections, %d still open after measuring (%d closed by the server)%n%n",
          count,
          stillOpen,
          devices.closedByServer());
    }
    printTable(out, result);
    out.println(result.jsonLine());
    return stillOpen == count ? 0 : 1;
  }

  private void printTable(PrintStream out, ConnectionsResult r) {
    out.println("| figure | value |");
    out.println("|---|---|");
    out.printf(
        Locale.ROOT,
        "| connect | %.2f s, %.0f connects/s |%n",
        r.connectSeconds(),
        r.connectsPerSecond());
    row(
        out,
        "live heap",
        r.before().heapBytes(),
        r.after().heapBytes(),
        r.heapBytesPerConnection());
    row(
        out,
        "direct buffers",
        r.before().directBytes(),
        r.after().directBytes(),
        r.directBytesPerConnection());
    row(out, "RSS", r.before().rssBytes(), r.after().rssBytes(), r.rssBytesPerConnection());
    out.println();
    out.println(
        "| class (live, after full GC) | instances per connection | bytes per connection |");
    out.println("|---|---:|---:|");
    for (ClassHistogram.Growth g : r.after().histogram().grownSince(r.before().histogram(), top)) {
      out.printf(
          Locale.ROOT,
          "| `%s` | %.2f | %.0f |%n",
          g.className(),
          g.instances() / (double) r.count(),
          g.bytes() / (double) r.count());
    }
    out.println();
  }

  private static void row(PrintStream out, String what, long before, long after, double per) {
    out.printf(
        Locale.ROOT,
        "| %s | %s → %s bytes: %s bytes (%.1f KiB) per connection |%n",
        what,
        before,
        after,
        Double.isFinite(per) ? String.format(Locale.ROOT, "%.0f", per) : "?",
        per / 1024);
  }

  private static OptionalLong openFileLimit() {
    try {
      Matcher m = OPEN_FILES.matcher(Files.readString(Path.of("/proc/self/limits")));
      return m.find() && !m.group(1).equals("unlimited")
          ? OptionalLong.of(Long.parseLong(m.group(1)))
          : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }
}
