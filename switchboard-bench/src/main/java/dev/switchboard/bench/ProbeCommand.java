package dev.switchboard.bench;

import dev.switchboard.bench.ProbeReport.Outcome;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code BenchMain probe}: the denial-of-service attacks of issue 9, run against the real server as
 * a user starts it ({@code ./switchboard serve --mode production}, a child process per
 * configuration) by hand-written clients; one Markdown table on stdout, progress on stderr. Exit
 * code 1 when an attack did not go as expected.
 */
@Command(
    name = "probe",
    sortOptions = false,
    description = {
      "Attack probe (issue 9): starts ./switchboard serve --mode production",
      "as a user would and attacks it with raw HTTP/1.1 and WebSocket clients.",
      "Prints one Markdown table: what the server did, how fast, its memory,",
      "/health meanwhile, a verdict. About 2.5 minutes; each attack stops by",
      "itself within about 60 s. Exit code 1 when an attack went unexpectedly.",
      ""
    })
final class ProbeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "ID",
      description =
          "Run only these attacks (1a 1b 2 3 3b 4a 4b 4c 5 6 7 8a 8b 8c 8d 8e 9 10); default: all.")
  List<String> only = List.of();

  @Option(
      names = "--devices",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Idle devices of attack 10 (default ${DEFAULT-VALUE}).")
  int devices;

  /** One attack: its id, what it is, and how to run it against a server. */
  private record Step(String id, String attack, Attack body) {}

  @FunctionalInterface
  private interface Attack {
    Outcome run(ProbeServer server) throws Exception;
  }

  private final ProbeFrameAttacks frames = new ProbeFrameAttacks();
  private final ProbeSocketAttacks sockets = new ProbeSocketAttacks();
  private final ProbeDeviceAttacks deviceAttacks = new ProbeDeviceAttacks();
  private final ProbeLoadAttacks load = new ProbeLoadAttacks();
  private final ProbeReport report = new ProbeReport();
  private final List<String> servers = new ArrayList<>();
  private final PrintStream progress = System.err;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Path root = Path.of("").toAbsolutePath();
    if (!Files.isExecutable(root.resolve("switchboard"))) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "run from the repository root (no ./switchboard in " + root + ")");
    }
    Path logs = Files.createTempDirectory("switchboard-probe-");
    String command =
        "./switchboard bench "
            + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    MachineFacts facts = MachineFacts.collect();
    progress.println("probe: " + command + "; server logs in " + logs);
    long start = System.nanoTime();

    serve(
        "A",
        root,
        logs,
        List.of(),
        "none: the defaults of production mode",
        List.of(
            new Step(
                "1a",
                "permessage-deflate bomb, compression off (default)",
                s -> frames.bomb(s, "127.0.0.11", 1002)),
            new Step(
                "2",
                "ping flood, never reading (4 KiB receive buffer)",
                s -> frames.pingFlood(s, "127.0.0.20")),
            new Step(
                "3",
                "idle TCP connections (as many as the client's fd limit allows)",
                s -> new ProbeIdleSockets().run(s, "127.0.0.39")),
            new Step(
                "3b",
                "slow headers / slow body (a byte a second)",
                s -> sockets.slowRequests(s, "127.0.0.31", "127.0.0.32")),
            new Step(
                "6",
                "identity: signed token, sub of 300 chars / sub = 42",
                s -> frames.identities(s, "127.0.0.60")),
            new Step(
                "8a",
                "API payload nested 999 deep",
                s -> deviceAttacks.hostileBody(s, ProbeDeviceAttacks.nested(999))),
            new Step(
                "8b",
                "API payload with the number 1e99999999999",
                s -> deviceAttacks.hostileBody(s, "{\"n\":1e99999999999}")),
            new Step(
                "8c",
                "close frame with code 5000",
                s ->
                    frames.forbiddenFrame(
                        s, "127.0.0.83", "bad-close", ProbeClient.closeFrame(5000))),
            new Step(
                "8d",
                "frame with RSV2 set",
                s ->
                    frames.forbiddenFrame(
                        s,
                        "127.0.0.84",
                        "bad-rsv",
                        ProbeClient.frame(
                            ProbeClient.TEXT,
                            true,
                            ProbeClient.RSV2,
                            "{}".getBytes(StandardCharsets.UTF_8)))),
            new Step(
                "8e",
                "valid 16,000-char token in ?token= / Authorization: Bearer",
                s -> frames.longTokens(s, "127.0.0.85", "127.0.0.86")),
            new Step(
                "4a",
                "POST, Content-Length 10 GiB streamed, wrong API key",
                s ->
                    ProbeSocketAttacks.bigBodyOutcome(
                        sockets.bigBody(s, "127.0.0.41", "wrong-key-0123456789"),
                        401,
                        List.of("wrong key"))),
            new Step(
                "4b",
                "POST, Content-Length 10 GiB streamed, right API key",
                s ->
                    ProbeSocketAttacks.bigBodyOutcome(
                        sockets.bigBody(s, "127.0.0.42", s.apiKey()), 413, List.of("right key"))),
            new Step(
                "4c",
                "POST, Content-Length 10 GiB streamed, rate limit spent",
                s -> sockets.rateLimited(s, "127.0.0.43", "127.0.0.44")),
            new Step(
                "5",
                "slow consumer: device never reads, 8 KiB High broadcasts",
                s -> deviceAttacks.slowConsumer(s, "127.0.0.50")),
            new Step(
                "9",
                "SIGTERM with a device that never reads + HTTP loops",
                s -> load.shutdown(s, "127.0.0.90", "127.0.0.91", "127.0.0.92"))));
    serve(
        "B",
        root,
        logs,
        List.of("websocket.compression=true"),
        "attack 1b needs permessage-deflate on, to reach the bounded inflater",
        List.of(
            new Step(
                "1b",
                "permessage-deflate bomb, compression on (negotiated)",
                s -> frames.bomb(s, "127.0.0.12", 1009))));
    serve(
        "C",
        root,
        logs,
        List.of("jwt.leeway_seconds=0"),
        "attack 7 needs no leeway on exp (default 30 s), so that a token expires when it says",
        List.of(
            new Step(
                "7",
                "token expiry (exp in ~3 s), and a refresh before exp",
                s -> deviceAttacks.tokenExpiry(s, "127.0.0.70", "127.0.0.71"))));
    serve(
        "D",
        root,
        logs,
        List.of("websocket.connections_per_minute_per_ip=0"),
        "attack 10 connects "
            + devices
            + " devices from a few addresses (default: 10 per minute per address)",
        List.of(
            new Step(
                "10",
                "memory per idle device (" + devices + " authenticated devices)",
                s -> load.idleDevices(s, devices, 4))));

    PrintStream out = System.out;
    out.println("## Attack probe");
    out.println();
    out.println(
        "Command: `" + command + "` (" + ProbeReport.millis(System.nanoTime() - start) + ")");
    out.println();
    out.println("Machine: " + facts.summary());
    out.println();
    out.println(
        "| server | started as (JWT secret and API key in the environment, random) | non-default setting, why"
            + " | attacks |");
    out.println("| --- | --- | --- | --- |");
    servers.forEach(out::println);
    out.println();
    report.print(out);
    out.println();
    out.println("Server logs: " + logs);
    return report.allAsExpected() ? 0 : 1;
  }

  /**
   * Starts one server (unless none of its attacks is selected), runs its attacks in order, stops
   * it.
   */
  private void serve(
      String name, Path root, Path logs, List<String> sets, String why, List<Step> steps)
      throws InterruptedException {
    List<Step> chosen =
        steps.stream().filter(s -> only.isEmpty() || only.contains(s.id())).toList();
    if (chosen.isEmpty()) {
      return;
    }
    String ids = chosen.stream().map(Step::id).collect(Collectors.joining(", "));
    progress.println(
        "probe: starting server " + name + (sets.isEmpty() ? "" : " with --set " + sets));
    try (ProbeServer server = ProbeServer.start(name, root, sets, logs)) {
      servers.add(
          "| "
              + name
              + " | `"
              + server.commandLine()
              + "` (JVM pid "
              + server.pid()
              + ") | "
              + why
              + " | "
              + ids
              + " |");
      for (Step step : chosen) {
        if (!server.alive()) {
          progress.println("probe: server " + name + " is gone; skipping " + step.id());
          report.add(
              new ProbeReport.Row(
                  step.id(),
                  step.attack(),
                  name,
                  Outcome.failed(
                      step.id(), new IllegalStateException("the server exited before this attack")),
                  OptionalLong.empty(),
                  OptionalLong.empty(),
                  new ProbeHealth.Stats(List.of(), Map.of(), -1),
                  Duration.ZERO));
          continue;
        }
        report.add(measure(step, server));
      }
    } catch (IOException | RuntimeException e) {
      progress.println("probe: server " + name + " failed: " + e);
      servers.add(
          "| " + name + " | could not start: " + e.getMessage() + " | " + why + " | " + ids + " |");
    }
  }

  /**
   * Runs one attack between two readings of the server's RSS, with {@code /health} polled
   * meanwhile.
   */
  private ProbeReport.Row measure(Step step, ProbeServer server) throws InterruptedException {
    progress.println("probe: " + step.id() + " " + step.attack() + "...");
    OptionalLong before = server.rssKb();
    ProbeHealth health = ProbeHealth.start(server);
    long start = System.nanoTime();
    Outcome outcome;
    try {
      outcome = step.body().run(server);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      outcome = Outcome.failed(step.id(), e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    ProbeHealth.Stats stats = health.stop();
    OptionalLong after = server.rssKb();
    progress.println(
        "probe: " + step.id() + ": " + outcome.serverDid() + " (" + outcome.timeToRefusal() + ")");
    return new ProbeReport.Row(
        step.id(), step.attack(), server.name(), outcome, before, after, stats, took);
  }
}
