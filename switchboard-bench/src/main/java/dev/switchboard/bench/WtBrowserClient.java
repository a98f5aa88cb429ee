package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code node/wt-browser-client.mjs}: headless Chromium holding a WebSocket connection and a
 * WebTransport session to the server, running one phase at a time when told to on its stdin and
 * answering with one JSON line on its stdout (the protocol is described at the top of the script).
 * Its stderr (progress, the page's errors) goes to ours. Not thread-safe: one caller.
 */
final class WtBrowserClient implements AutoCloseable {

  static final String SCRIPT = "wt-browser-client.mjs";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final long STOP_GRACE_MILLIS = 5_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String END = "\u0000end";

  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> lines;
  private final JsonNode ready;

  private WtBrowserClient(
      Process process, Writer stdin, BlockingQueue<String> lines, JsonNode ready) {
    this.process = process;
    this.stdin = stdin;
    this.lines = lines;
    this.ready = ready;
  }

  /**
   * Starts the script against {@code baseUrl} and waits until both transports are connected.
   *
   * @throws BenchmarkException when it fails or is not ready within 60 s
   */
  static WtBrowserClient start(Path nodeDir, String baseUrl)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder("node", SCRIPT, baseUrl)
            .directory(nodeDir.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    Process process = ChildProcesses.start(builder);
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread.ofPlatform()
        .daemon()
        .name("wt-browser-client-stdout")
        .start(
            () -> {
              try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  lines.add(line);
                }
              } catch (IOException | UncheckedIOException e) {
                // The process is gone; END below tells the reader.
              }
              lines.add(END);
            });
    try {
      JsonNode ready = next(lines, READY_TIMEOUT, "connecting both transports");
      if (!ready.path("ready").asBoolean()) {
        throw new BenchmarkException(
            "the browser client failed: " + ready.path("failure").asText(ready.toString()));
      }
      Writer stdin = process.outputWriter(StandardCharsets.UTF_8);
      return new WtBrowserClient(process, stdin, lines, ready);
    } catch (InterruptedException | RuntimeException e) {
      ChildProcesses.stop(process, STOP_GRACE_MILLIS);
      throw e;
    }
  }

  /** Chromium's version, as {@code chromium --version} says. */
  String chromiumVersion() {
    return ready.path("chromium").asText("?");
  }

  /** Whether the page is cross-origin isolated: its clock then has 5 µs resolution, not 100. */
  boolean crossOriginIsolated() {
    return ready.path("crossOriginIsolated").asBoolean();
  }

  /**
   * Runs one phase and returns the page's answer ({@code ops}, {@code seconds}, {@code errors},
   * {@code firstError}, {@code latenciesUs}).
   *
   * @throws BenchmarkException when the client dies or does not answer within {@code timeout}
   */
  JsonNode run(Map<String, Object> command, Duration timeout)
      throws IOException, InterruptedException {
    stdin.write(JSON.writeValueAsString(command) + "\n");
    stdin.flush();
    return next(lines, timeout, "phase " + command);
  }

  /**
   * utime + stime of node and every process under it (Chromium's), or empty if one does not say.
   */
  Optional<Duration> cpu() {
    List<ProcessHandle> all =
        Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
    Duration sum = Duration.ZERO;
    for (ProcessHandle p : all) {
      Optional<Duration> used = p.info().totalCpuDuration();
      if (used.isEmpty()) {
        return Optional.empty();
      }
      sum = sum.plus(used.get());
    }
    return Optional.of(sum);
  }

  private static JsonNode next(BlockingQueue<String> lines, Duration timeout, String doing)
      throws InterruptedException {
    String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new BenchmarkException(
          "the browser client did not answer within " + timeout.toSeconds() + " s: " + doing);
    }
    if (line.equals(END)) {
      throw new BenchmarkException(
          "the browser client exited while " + doing + " (see its output above)");
    }
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new BenchmarkException("the browser client printed something else than JSON: " + line);
    }
  }

  /**
   * Closes its stdin (it closes Chromium and exits), and kills it if it is still there after 5 s.
   */
  @Override
  public void close() {
    try {
      stdin.close();
      process.waitFor(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      // Gone already, or killed next.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ChildProcesses.stop(process, STOP_GRACE_MILLIS);
    }
  }
}
