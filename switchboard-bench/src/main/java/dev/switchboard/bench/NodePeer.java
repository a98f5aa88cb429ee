package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The peer: rpc-websockets, measured by {@code node/rpcws-bench.mjs} (its own server and client
 * processes) with the same workload and options, read back from the one JSON object it prints. When
 * node or the npm packages are missing the row is {@link SystemResult.NotRun not run} rather than
 * an error of the whole benchmark.
 */
final class NodePeer {

  static final String SCRIPT = "rpcws-bench.mjs";
  private static final String LABEL = "rpc-websockets (node)";
  private static final long VERSION_TIMEOUT_SECONDS = 10;

  private final Path dir;

  NodePeer(Path dir) {
    this.dir = dir;
  }

  /** {@code node --version}, or empty when node cannot be run. */
  static Optional<String> nodeVersion() {
    try {
      Process process =
          ChildProcesses.start(
              new ProcessBuilder("node", "--version")
                  .redirectError(ProcessBuilder.Redirect.DISCARD));
      try {
        CompletableFuture<String> out = readAll(process);
        if (!process.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            || process.exitValue() != 0) {
          return Optional.empty();
        }
        return Optional.of(out.get(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS).strip());
      } finally {
        ChildProcesses.stop(process, 1_000);
      }
    } catch (IOException | ExecutionException | TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Runs the Node benchmark to the end, or until {@link #timeoutSeconds} pass. */
  SystemResult run(RpcBenchSettings settings) throws InterruptedException {
    Path script = dir.resolve(SCRIPT);
    if (!Files.isRegularFile(script)) {
      return notRun("no " + SCRIPT + " in " + dir.toAbsolutePath() + " (see --node-dir)");
    }
    Optional<String> node = nodeVersion();
    if (node.isEmpty()) {
      return notRun("node is not on the PATH (install Node.js 20+)");
    }
    if (!Files.isDirectory(dir.resolve("node_modules").resolve("rpc-websockets"))) {
      return notRun(
          "rpc-websockets is not installed: run 'npm ci' in "
              + dir.toAbsolutePath()
              + " (./switchboard bench does it)");
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                "node",
                script.toString(),
                "--payload-bytes",
                Integer.toString(settings.payloadBytes()),
                "--warmup-calls",
                Integer.toString(settings.warmupCalls()),
                "--seq-calls",
                Integer.toString(settings.seqCalls()),
                "--seconds",
                RpcBenchSettings.plain(settings.seconds()),
                "--warmup-seconds",
                RpcBenchSettings.plain(settings.warmupSeconds()),
                "--prewarm-seconds",
                RpcBenchSettings.plain(settings.prewarmSeconds()),
                "--stall-seconds",
                RpcBenchSettings.plain(settings.stallSeconds()),
                "--inflight",
                settings.inflight().stream()
                    .map(String::valueOf)
                    .collect(Collectors.joining(","))));
    long timeout = timeoutSeconds(settings);
    Process process;
    try {
      process =
          ChildProcesses.start(
              new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT));
    } catch (IOException e) {
      return notRun("cannot start node: " + e.getMessage());
    }
    try {
      CompletableFuture<String> stdout = readAll(process);
      if (!process.waitFor(timeout, TimeUnit.SECONDS)) {
        return failed("did not finish within " + timeout + " s");
      }
      if (process.exitValue() != 0) {
        return failed(
            SCRIPT + " exited with code " + process.exitValue() + " (see its stderr above)");
      }
      return parse(stdout.get(10, TimeUnit.SECONDS), settings);
    } catch (ExecutionException | TimeoutException e) {
      return failed("cannot read the output of " + SCRIPT + ": " + e);
    } catch (RuntimeException e) {
      return failed(e.getMessage());
    } finally {
      ChildProcesses.stop(process, 5_000);
    }
  }

  /** Generous: the phases' own length, plus a minute, plus a millisecond per sequential call. */
  static long timeoutSeconds(RpcBenchSettings s) {
    double phases = s.inflight().size() * (s.warmupSeconds() + s.seconds()) * 1.5;
    double sequential = (s.warmupCalls() + s.seqCalls()) / 1000.0;
    return (long) Math.ceil(60 + phases + sequential);
  }

  static SystemResult parse(String stdout, RpcBenchSettings settings) {
    String line =
        stdout
            .lines()
            .filter(l -> l.startsWith("{"))
            .reduce((a, b) -> b)
            .orElseThrow(
                () -> new BenchmarkException("no JSON object on stdout: '" + stdout.strip() + "'"));
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(line);
    } catch (IOException e) {
      throw new BenchmarkException("stdout is not JSON: " + e.getMessage(), e);
    }
    JsonNode seq = required(json, "sequential");
    SequentialStats sequential =
        new SequentialStats(
            required(seq, "calls").asInt(),
            required(seq, "p50us").asDouble(),
            required(seq, "p90us").asDouble(),
            required(seq, "p99us").asDouble(),
            required(seq, "p999us").asDouble(),
            required(seq, "meanUs").asDouble());
    List<PipelinedStats> pipelined = new ArrayList<>();
    for (JsonNode p : required(json, "pipelined")) {
      pipelined.add(
          new PipelinedStats(
              required(p, "inflight").asInt(),
              required(p, "callsPerSecond").asDouble(),
              required(p, "calls").asLong(),
              required(p, "seconds").asDouble()));
    }
    if (json.path("payloadBytes").asInt(-1) != settings.payloadBytes()) {
      throw new BenchmarkException(
          "ran with payloadBytes "
              + json.path("payloadBytes")
              + ", asked for "
              + settings.payloadBytes());
    }
    String label =
        "rpc-websockets "
            + json.path("version").asText("?")
            + " (node "
            + json.path("node").asText("?")
            + ")";
    return new SystemResult.Measured(SystemId.RPC_WEBSOCKETS, label, sequential, pipelined);
  }

  private static JsonNode required(JsonNode parent, String field) {
    JsonNode value = parent.get(field);
    if (value == null || value.isNull()) {
      throw new BenchmarkException("its JSON lacks '" + field + "': " + parent);
    }
    return value;
  }

  private static CompletableFuture<String> readAll(Process process) {
    CompletableFuture<String> out = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .name("node-stdout")
        .start(
            () -> {
              try {
                out.complete(
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                out.completeExceptionally(e);
              }
            });
    return out;
  }

  private static SystemResult notRun(String reason) {
    return new SystemResult.NotRun(SystemId.RPC_WEBSOCKETS, LABEL, reason);
  }

  private static SystemResult failed(String reason) {
    return new SystemResult.Failed(SystemId.RPC_WEBSOCKETS, LABEL, reason);
  }
}
