package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;

/**
 * The devices of the fan-out benchmark held by independent clients: a few node processes running
 * {@code node/fanout-client.mjs} ({@code ws} for Switchboard, {@code socket.io-client} for
 * Socket.IO), each with its share of the users {@code u0, u1, ...}. Each process says when every
 * device of its share subscribed, then once per message when every device of its share has it
 * ({@code {"done":SEQ}}), and, when asked, prints its counts and latencies of a range of messages.
 *
 * <p>The "done" callback runs on the reader thread of the process that sent it; the rest is for the
 * thread that created the fleet.
 */
final class NodeFleet implements AutoCloseable {

  static final String SCRIPT = "fanout-client.mjs";
  private static final long STOP_GRACE_MILLIS = 5_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Member> members;
  private final List<Path> files;
  private final int devices;
  private volatile LongConsumer onDone = seq -> {};

  /** One node process: its stdout lines become these futures. */
  private static final class Member {
    final Process process;
    final int devices;
    final CompletableFuture<JsonNode> ready = new CompletableFuture<>();
    final CompletableFuture<JsonNode> result = new CompletableFuture<>();

    Member(Process process, int devices) {
      this.process = process;
      this.devices = devices;
    }
  }

  private NodeFleet(List<Member> members, List<Path> files, int devices) {
    this.members = members;
    this.files = files;
    this.devices = devices;
  }

  /** Why the clients cannot run here for {@code system}, or empty when they can. */
  static Optional<String> unavailable(Path dir, PushSystem system) {
    if (!Files.isRegularFile(dir.resolve(SCRIPT))) {
      return Optional.of("no " + SCRIPT + " in " + dir.toAbsolutePath() + " (see --node-dir)");
    }
    if (NodePeer.nodeVersion().isEmpty()) {
      return Optional.of("node is not on the PATH (install Node.js 20+)");
    }
    String module = system == PushSystem.SWITCHBOARD ? "ws" : "socket.io-client";
    if (!Files.isDirectory(dir.resolve("node_modules").resolve(module))) {
      return Optional.of(module + " is not installed: run 'npm ci' in " + dir.toAbsolutePath());
    }
    return Optional.empty();
  }

  /**
   * Starts {@code processes} node processes sharing {@code devices} devices of {@code target} and
   * waits until every device subscribed to {@code channel}.
   *
   * @throws BenchmarkException when a process fails or the devices are not ready within {@code
   *     timeout}
   */
  static NodeFleet start(
      PushSystem system,
      PushTarget target,
      String channel,
      int devices,
      int processes,
      int handshakes,
      Path nodeDir,
      Duration timeout,
      PrintStream progress)
      throws IOException, InterruptedException {
    return start(
        system,
        List.of(target),
        channel,
        devices,
        processes,
        handshakes,
        nodeDir,
        timeout,
        progress);
  }

  /**
   * As {@link #start(PushSystem, PushTarget, String, int, int, int, Path, Duration, PrintStream)},
   * for a server of several nodes sharing one JWT secret: process {@code p} connects its devices to
   * {@code targets.get(p % targets.size())}, so that with a multiple of the node count as {@code
   * processes} the devices are spread evenly over the nodes.
   */
  static NodeFleet start(
      PushSystem system,
      List<PushTarget> targets,
      String channel,
      int devices,
      int processes,
      int handshakes,
      Path nodeDir,
      Duration timeout,
      PrintStream progress)
      throws IOException, InterruptedException {
    List<Member> members = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    NodeFleet fleet = new NodeFleet(members, files, devices);
    try {
      int from = 0;
      for (int p = 0; p < processes; p++) {
        PushTarget target = targets.get(p % targets.size());
        int share = devices / processes + (p < devices % processes ? 1 : 0);
        List<String> command =
            new ArrayList<>(
                List.of(
                    "node",
                    nodeDir.resolve(SCRIPT).toString(),
                    "--system",
                    system.key(),
                    "--devices",
                    Integer.toString(share),
                    "--user-from",
                    Integer.toString(from),
                    "--channel",
                    channel,
                    "--handshakes",
                    Integer.toString(Math.max(1, handshakes / processes)),
                    "--connect-seconds",
                    Long.toString(timeout.toSeconds())));
        if (system == PushSystem.SWITCHBOARD) {
          // The tokens go through a file, not the command line (which any local user may read).
          Path paths = Files.createTempFile("switchboard-fanout-paths-", ".txt");
          files.add(paths);
          try (Writer out = Files.newBufferedWriter(paths, StandardCharsets.US_ASCII)) {
            for (int i = from; i < from + share; i++) {
              out.write(target.devices().path("u" + i));
              out.write('\n');
            }
          }
          command.addAll(
              List.of(
                  "--url",
                  "ws://" + FanoutBenchmark.HOST + ":" + target.port(),
                  "--paths-file",
                  paths.toString()));
        } else {
          command.addAll(List.of("--url", "http://" + FanoutBenchmark.HOST + ":" + target.port()));
        }
        Member member =
            new Member(
                ChildProcesses.start(
                    new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)),
                share);
        members.add(member);
        fleet.read(member, progress);
        from += share;
      }
      for (Member member : members) {
        JsonNode ready = await(member.ready, timeout.plusSeconds(10), "subscribing its devices");
        if (ready.path("devices").asInt() != member.devices) {
          throw new BenchmarkException(
              SCRIPT
                  + " subscribed "
                  + ready.path("devices")
                  + " of "
                  + member.devices
                  + " devices");
        }
      }
      return fleet;
    } catch (IOException | InterruptedException | RuntimeException e) {
      fleet.close();
      throw e;
    }
  }

  /** Reads a member's stdout on a thread of its own. */
  private void read(Member member, PrintStream progress) {
    Thread.ofPlatform()
        .daemon()
        .name("fanout-client-stdout")
        .start(
            () -> {
              try (BufferedReader out = member.process.inputReader()) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  if (line.startsWith("{\"done\":")) {
                    onDone.accept(Long.parseLong(line.substring(8, line.length() - 1)));
                    continue;
                  }
                  if (!line.startsWith("{")) {
                    progress.println("[fanout-client] " + line);
                    continue;
                  }
                  JsonNode node = JSON.readTree(line);
                  if (node.path("event").asText().equals("ready")) {
                    member.ready.complete(node);
                  } else if (node.path("ok").asBoolean()) {
                    member.result.complete(node);
                  } else {
                    BenchmarkException failure =
                        new BenchmarkException(
                            SCRIPT + " failed: " + node.path("failure").asText());
                    member.ready.completeExceptionally(failure);
                    member.result.completeExceptionally(failure);
                  }
                }
              } catch (IOException | RuntimeException e) {
                member.ready.completeExceptionally(e);
                member.result.completeExceptionally(e);
              }
              BenchmarkException ended =
                  new BenchmarkException(SCRIPT + " ended (see its stderr above)");
              member.ready.completeExceptionally(ended);
              member.result.completeExceptionally(ended);
            });
  }

  /**
   * Called with a message's sequence number each time one process has it on every one of its
   * devices.
   */
  void onDone(LongConsumer callback) {
    this.onDone = callback;
  }

  int processes() {
    return members.size();
  }

  int devices() {
    return devices;
  }

  /** Asks every process for its numbers of messages {@code from..to} (inclusive). */
  List<JsonNode> report(long from, long to, Duration timeout) throws InterruptedException {
    for (Member member : members) {
      try {
        Writer in = member.process.outputWriter(StandardCharsets.US_ASCII);
        in.write("report " + from + " " + to + "\n");
        in.flush();
      } catch (IOException e) {
        throw new BenchmarkException("cannot ask " + SCRIPT + " for its results: " + e, e);
      }
    }
    List<JsonNode> results = new ArrayList<>();
    for (Member member : members) {
      results.add(await(member.result, timeout, "reporting"));
    }
    return results;
  }

  private static JsonNode await(CompletableFuture<JsonNode> future, Duration timeout, String what)
      throws InterruptedException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new BenchmarkException(
          SCRIPT + " was not done " + what + " within " + timeout.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof BenchmarkException b
          ? b
          : new BenchmarkException(
              SCRIPT + " failed while " + what + ": " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void close() {
    for (Member member : members) {
      ChildProcesses.stop(member.process, STOP_GRACE_MILLIS);
    }
    for (Path file : files) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A temporary file; the next reboot takes it.
      }
    }
  }
}
