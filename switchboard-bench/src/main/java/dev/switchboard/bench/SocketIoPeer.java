package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The peer of the fan-out benchmark: Socket.IO on Node ({@code node/socketio-server.mjs}, one
 * process, the WebSocket transport only), started here and stopped when its {@link PushTarget}
 * closes. Like the rpc-websockets server, it prints {@code {"port":N,...}} once listening and exits
 * when its stdin closes.
 */
final class SocketIoPeer {

  static final String SCRIPT = "socketio-server.mjs";
  private static final long START_TIMEOUT_SECONDS = 30;
  private static final long STOP_GRACE_MILLIS = 5_000;

  private SocketIoPeer() {}

  /**
   * Why the peer cannot run here (no node, no script, socket.io not installed), or empty when it
   * can.
   */
  static Optional<String> unavailable(Path dir) {
    if (!Files.isRegularFile(dir.resolve(SCRIPT))) {
      return Optional.of("no " + SCRIPT + " in " + dir.toAbsolutePath() + " (see --node-dir)");
    }
    if (NodePeer.nodeVersion().isEmpty()) {
      return Optional.of("node is not on the PATH (install Node.js 20+)");
    }
    if (!Files.isDirectory(dir.resolve("node_modules").resolve("socket.io"))) {
      return Optional.of("socket.io is not installed: run 'npm ci' in " + dir.toAbsolutePath());
    }
    return Optional.empty();
  }

  /**
   * Starts the server and waits until it listens.
   *
   * @param httpConnections the publisher's keep-alive connections to it
   * @throws BenchmarkException when it does not report its port within 30 s
   */
  static PushTarget start(Path dir, int httpConnections) throws IOException, InterruptedException {
    String node = NodePeer.nodeVersion().orElse("?");
    Process process =
        ChildProcesses.start(
            new ProcessBuilder(
                    List.of(
                        "node",
                        dir.resolve(SCRIPT).toString(),
                        "--host",
                        FanoutBenchmark.HOST,
                        "--port",
                        "0"))
                .redirectError(ProcessBuilder.Redirect.INHERIT));
    try {
      JsonNode hello = awaitHello(process);
      int port = hello.path("port").asInt();
      String label = "Socket.IO " + hello.path("version").asText("?") + " (node " + node + ")";
      JsonHttp http = new JsonHttp(FanoutBenchmark.HOST, port, Map.of(), httpConnections);
      return new PushTarget(
          label,
          port,
          new SocketIoDevices(),
          http,
          "/broadcast",
          "/send",
          () -> stop(process),
          Optional.of(process.toHandle()));
    } catch (InterruptedException | RuntimeException e) {
      stop(process);
      throw e;
    }
  }

  private static JsonNode awaitHello(Process process) throws InterruptedException {
    CompletableFuture<JsonNode> hello = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .name("socketio-stdout")
        .start(
            () -> {
              try (BufferedReader out = process.inputReader()) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  if (!hello.isDone() && line.startsWith("{\"port\":")) {
                    hello.complete(new ObjectMapper().readTree(line));
                  } else {
                    System.err.println("[socketio-server] " + line);
                  }
                }
                hello.completeExceptionally(new EOFException("end of output"));
              } catch (IOException | UncheckedIOException e) {
                hello.completeExceptionally(e);
              }
            });
    try {
      return hello.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new BenchmarkException(
          SCRIPT + " did not report its port within " + START_TIMEOUT_SECONDS + " s", e);
    } catch (ExecutionException e) {
      throw new BenchmarkException(
          SCRIPT + " ended before reporting its port (see its stderr above): " + e.getCause(),
          e.getCause());
    }
  }

  private static void stop(Process process) {
    try {
      process.getOutputStream().close();
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
