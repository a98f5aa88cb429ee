package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of {@code node/ws-rpc-client.mjs} with the servers' CPU time sampled at the client's two
 * markers ({@code {"event":"measuring"}} and {@code {"event":"measured"}}) the moment each arrives,
 * so that the CPU counted is the servers' own over the client's measured window.
 */
final class WsClientProcess {

  static final String SCRIPT = "ws-rpc-client.mjs";
  private static final String MEASURING = "{\"event\":\"measuring\"}";
  private static final String MEASURED = "{\"event\":\"measured\"}";
  private static final long STOP_GRACE_MILLIS = 5_000;

  /**
   * What the client reported, and the CPU each server used over its window.
   *
   * @param servers one per meter given, in the same order
   */
  record Outcome(WsClientResult client, List<CpuUsage> servers) {}

  private WsClientProcess() {}

  /**
   * Runs {@code command} (node and the script's arguments), its stderr on ours.
   *
   * @param meters one per server whose CPU time is wanted separately (each of one process)
   * @param timeoutSeconds the whole run, node's start and the drain included
   * @throws BenchmarkException when the client fails (a wrong answer, an error answer with {@code
   *     --on-error fail}, a stall), prints no markers, or does not finish in time
   */
  static Outcome run(
      List<String> command, List<CpuMeter> meters, long timeoutSeconds, PrintStream progress)
      throws InterruptedException {
    Process process;
    try {
      process =
          ChildProcesses.start(
              new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT));
    } catch (IOException e) {
      throw new BenchmarkException("cannot start node: " + e.getMessage(), e);
    }
    AtomicReference<List<CpuMeter.Snapshot>> start = new AtomicReference<>();
    AtomicReference<List<CpuMeter.Snapshot>> end = new AtomicReference<>();
    CompletableFuture<JsonNode> result = readOutput(process, meters, start, end, progress);
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new BenchmarkException(SCRIPT + " did not finish within " + timeoutSeconds + " s");
      }
      WsClientResult client = WsClientResult.parse(result.get(10, TimeUnit.SECONDS));
      if (process.exitValue() != 0) {
        throw new BenchmarkException(
            SCRIPT + " exited with code " + process.exitValue() + " (see its stderr above)");
      }
      if (start.get() == null || end.get() == null) {
        throw new BenchmarkException(SCRIPT + " printed no markers around its measured window");
      }
      List<CpuUsage> used =
          java.util.stream.IntStream.range(0, meters.size())
              .mapToObj(i -> CpuMeter.between(start.get().get(i), end.get().get(i)))
              .toList();
      return new Outcome(client, used);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() instanceof BenchmarkException b ? b : e;
      throw new BenchmarkException(
          "cannot read the output of " + SCRIPT + ": " + cause.getMessage(), cause);
    } finally {
      ChildProcesses.stop(process, STOP_GRACE_MILLIS);
    }
  }

  /**
   * Reads the client's stdout on a thread of its own: samples the meters at each marker, and
   * completes with the last JSON object (the results).
   */
  private static CompletableFuture<JsonNode> readOutput(
      Process process,
      List<CpuMeter> meters,
      AtomicReference<List<CpuMeter.Snapshot>> start,
      AtomicReference<List<CpuMeter.Snapshot>> end,
      PrintStream progress) {
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .name("ws-client-stdout")
        .start(
            () -> {
              String last = null;
              try (BufferedReader out = process.inputReader()) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  if (line.equals(MEASURING)) {
                    start.set(meters.stream().map(CpuMeter::snapshot).toList());
                  } else if (line.equals(MEASURED)) {
                    end.set(meters.stream().map(CpuMeter::snapshot).toList());
                  } else if (line.startsWith("{")) {
                    last = line;
                  } else {
                    progress.println("[ws-rpc-client] " + line);
                  }
                }
                if (last == null) {
                  throw new BenchmarkException(
                      SCRIPT + " printed no result (see its stderr above)");
                }
                result.complete(new ObjectMapper().readTree(last));
              } catch (IOException | RuntimeException e) {
                result.completeExceptionally(
                    e instanceof BenchmarkException
                        ? e
                        : new BenchmarkException(
                            "unreadable output of " + SCRIPT + ": " + e.getMessage(), e));
              }
            });
    return result;
  }
}
