package dev.switchboard.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory of a server JVM on this machine: live heap right after a full collection ({@code jcmd
 * <pid> GC.run}, then {@code GC.heap_info}'s first {@code used}) and resident set size ({@code
 * VmRSS} of {@code /proc/<pid>/status}). A full collection pauses the server, so a run takes only a
 * few of these (see {@link LoadRun}).
 */
final class ServerMemory {

  /** One reading; {@code heapBytes} -1 when jcmd could not tell. */
  record Reading(long heapBytes, long rssBytes) {

    String describe() {
      return String.format(
          Locale.ROOT,
          "live heap %s, RSS %s",
          heapBytes < 0 ? "unknown" : mib(heapBytes),
          rssBytes < 0 ? "unknown" : mib(rssBytes));
    }

    private static String mib(long bytes) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
  }

  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  private final ProcessHandle server;
  private final Path jcmd;

  private ServerMemory(ProcessHandle server, Path jcmd) {
    this.server = server;
    this.jcmd = jcmd;
  }

  /** For {@code server}, when this JDK has a {@code jcmd} to ask it with. */
  static Optional<ServerMemory> of(ProcessHandle server) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    return Files.isExecutable(jcmd)
        ? Optional.of(new ServerMemory(server, jcmd))
        : Optional.empty();
  }

  Reading read() {
    long heap = -1;
    if (run("GC.run").isPresent()) {
      heap =
          run("GC.heap_info")
              .map(USED::matcher)
              .filter(Matcher::find)
              .map(m -> Long.parseLong(m.group(1)) * 1024)
              .orElse(-1L);
    }
    return new Reading(heap, rss());
  }

  private long rss() {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(server.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private Optional<String> run(String command) {
    try {
      Process p =
          new ProcessBuilder(jcmd.toString(), Long.toString(server.pid()), command)
              .redirectErrorStream(true)
              .start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return Optional.empty();
      }
      return Optional.of(new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
