package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.bench.WtSample.Phase;
import dev.switchboard.bench.WtSample.Transport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code BenchMain wt}: RPC calls/s and push latency over WebTransport against WebSocket, on one
 * development-mode server, from one independent client for both: a headless Chromium page running
 * the same JavaScript over either transport ({@link WtBrowserClient}). Each round runs every phase
 * over both transports back to back, odd rounds WebSocket first and even rounds WebTransport first,
 * so that the machine's drift falls on both. The echo phases also run over a raw echo of the
 * WebTransport session (a second stream, echoed by the development server's demo without the RPC
 * peer), the limit of what the RPC layer can reach over WebTransport. Markdown report on stdout,
 * progress on stderr. Exits 1 when a phase had an error.
 */
@Command(
    name = "wt",
    sortOptions = false,
    abbreviateSynopsis = true,
    description = {
      "WebTransport against WebSocket: one Switchboard server (child JVM,",
      "development mode: WebTransport on udp, same port) and one headless",
      "Chromium page (Debian's chromium, started by node, no DevTools attached)",
      "with a WebSocket connection and a WebTransport session running the same",
      "JavaScript. Phases: seq (echo calls one at a time), pipe (a window of echo",
      "calls in flight), push (one push at a time through the HTTP API, POST to",
      "arrival), push-rate (batches of pushes). Each: ops/s, latency, server and",
      "browser CPU per op (/proc), WT/WS ratios. seq and pipe also run over",
      "wt-raw: a second stream of the WebTransport session that the demo echoes",
      "(no RPC), the limit the RPC figures are set against. About 2.5 minutes.",
      "Markdown report on stdout, progress on stderr.",
      ""
    })
final class WtBenchCommand implements Callable<Integer> {

  private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration QUIET_MAX = Duration.ofSeconds(5);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "4",
      description = "Measured rounds (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--warmup-rounds",
      paramLabel = "N",
      defaultValue = "2",
      description = "Untimed rounds before them, for the JIT compilers (default ${DEFAULT-VALUE}).")
  int warmupRounds;

  @Option(
      names = "--calls",
      paramLabel = "N",
      defaultValue = "5000",
      description = "Calls of the sequential phase (default ${DEFAULT-VALUE}).")
  int calls;

  @Option(
      names = "--pipelined-calls",
      paramLabel = "N",
      defaultValue = "30000",
      description = "Calls of the pipelined phase (default ${DEFAULT-VALUE}).")
  int pipelinedCalls;

  @Option(
      names = "--window",
      paramLabel = "W",
      defaultValue = "64",
      description = "Calls in flight in the pipelined phase (default ${DEFAULT-VALUE}).")
  int window;

  @Option(
      names = "--pushes",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Pushes of the push latency phase (default ${DEFAULT-VALUE}).")
  int pushes;

  @Option(
      names = "--rate-pushes",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Pushes of the push throughput phase (default ${DEFAULT-VALUE}).")
  int ratePushes;

  @Option(
      names = "--batch",
      paramLabel = "B",
      defaultValue = "100",
      description =
          "Pushes per POST /api/v1/notifications/batch in the push throughput phase, at most 100 "
              + "(default ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--batch-window",
      paramLabel = "K",
      defaultValue = "4",
      description =
          "Batches' worth of pushes sent and not yet received, at most, in the push throughput "
              + "phase (default ${DEFAULT-VALUE}).")
  int batchWindow;

  @Option(
      names = "--phases",
      paramLabel = "NAME",
      split = ",",
      defaultValue = "seq,pipe,push,push-rate",
      description = "Phases to run, in this order (default ${DEFAULT-VALUE}).")
  List<String> phaseNames;

  @Option(
      names = "--transports",
      paramLabel = "NAME",
      split = ",",
      defaultValue = "ws,wt,wt-raw",
      description =
          "Transports to measure (default ${DEFAULT-VALUE}; wt-raw runs seq and pipe only); one "
              + "alone, for a profile of the server under that transport only.")
  List<String> transportNames;

  @Option(
      names = "--server-jvm-arg",
      paramLabel = "ARG",
      description = "Extra JVM flag of the server (repeatable), for example a JFR recording.")
  List<String> serverJvmArgs = new ArrayList<>();

  @Option(
      names = "--node-dir",
      paramLabel = "DIR",
      description = "Folder of " + WtBrowserClient.SCRIPT + " (default: switchboard-bench/node).")
  Path nodeDir;

  @Override
  public Integer call() throws IOException, InterruptedException {
    List<Phase> phases = phases();
    List<Transport> transports = transports();
    if (rounds < 1 || warmupRounds < 0 || batch < 1 || batch > 100 || window < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "need --rounds >= 1, --warmup-rounds >= 0, --window >= 1 and 1 <= --batch <= 100");
    }
    Path dir = nodeDir == null ? RpcBenchCommand.defaultNodeDir() : nodeDir;
    Optional<String> why = missingPrerequisite(dir);
    if (why.isPresent()) {
      System.err.println("wt: cannot run: " + why.get());
      return 1;
    }
    MachineFacts machine = MachineFacts.collect();
    System.err.println("wt: " + machine.summary());
    List<WtSample> samples = new ArrayList<>();
    String header;
    try (WtServer server = WtServer.start(serverJvmArgs);
        WtBrowserClient client = WtBrowserClient.start(dir, server.baseUrl())) {
      header =
          machine.summary()
              + ", "
              + client.chromiumVersion()
              + " (headless, no DevTools attached), page cross-origin isolated: "
              + (client.crossOriginIsolated() ? "yes (5 µs clock)" : "no (100 µs clock)");
      CpuMeter quiet = new CpuMeter(List.of(server.process()));
      PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
      for (int round = 1 - warmupRounds; round <= rounds; round++) {
        List<Transport> order = round % 2 == 0 ? transports.reversed() : transports;
        for (Phase phase : phases) {
          for (Transport transport : order) {
            if (!phase.runsOver(transport)) {
              continue;
            }
            quiet.awaitQuiet(QUIET_MAX, "wt", nowhere);
            WtSample sample = measure(server, client, round, phase, transport);
            System.err.println(progress(sample, round < 1));
            if (round >= 1) {
              samples.add(sample);
            }
          }
        }
      }
    }
    WtReport report = new WtReport(header, RerunCommand.of(spec), workload(), samples);
    System.out.println();
    System.out.print(report.markdown());
    System.out.flush();
    return samples.stream().anyMatch(s -> s.errors() > 0) ? 1 : 0;
  }

  private WtSample measure(
      WtServer server, WtBrowserClient client, int round, Phase phase, Transport transport)
      throws IOException, InterruptedException {
    Map<String, Object> command = new LinkedHashMap<>();
    command.put("transport", transport.key);
    command.put("phase", phase.key);
    switch (phase) {
      case SEQ -> command.put("count", calls);
      case PIPE -> {
        command.put("count", pipelinedCalls);
        command.put("window", window);
      }
      case PUSH -> command.put("count", pushes);
      case PUSH_RATE -> {
        command.put("count", ratePushes);
        command.put("batch", batch);
        command.put("window", batchWindow);
      }
    }
    Optional<Duration> serverBefore = server.process().info().totalCpuDuration();
    Optional<Duration> clientBefore = client.cpu();
    JsonNode answer = client.run(command, PHASE_TIMEOUT);
    Optional<Duration> serverAfter = server.process().info().totalCpuDuration();
    Optional<Duration> clientAfter = client.cpu();
    double[] latencies = new double[answer.path("latenciesUs").size()];
    for (int i = 0; i < latencies.length; i++) {
      latencies[i] = answer.path("latenciesUs").get(i).asDouble();
    }
    String firstError = answer.path("firstError").asText("");
    return new WtSample(
        round,
        phase,
        transport,
        answer.path("ops").asLong(),
        answer.path("seconds").asDouble(),
        answer.path("errors").asLong(),
        firstError.isEmpty() || answer.path("firstError").isNull()
            ? Optional.empty()
            : Optional.of(firstError),
        latencies,
        seconds(serverBefore, serverAfter),
        seconds(clientBefore, clientAfter));
  }

  private static OptionalDouble seconds(Optional<Duration> from, Optional<Duration> to) {
    return from.isPresent() && to.isPresent()
        ? OptionalDouble.of(to.get().minus(from.get()).toNanos() / 1e9)
        : OptionalDouble.empty();
  }

  private String progress(WtSample s, boolean warmup) {
    String latency =
        s.phase().timed
            ? ", p50 "
                + WtReport.micros(s.percentileUs(0.5))
                + " µs, p99 "
                + WtReport.micros(s.percentileUs(0.99))
                + " µs"
            : "";
    return "wt: "
        + (warmup ? "warmup " + (s.round() + warmupRounds) : "round " + s.round() + "/" + rounds)
        + " "
        + s.phase().key
        + " "
        + s.transport().key
        + ": "
        + s.ops()
        + " ops in "
        + String.format(java.util.Locale.ROOT, "%.2f", s.seconds())
        + " s = "
        + WtReport.grouped(s.opsPerSecond())
        + "/s"
        + latency
        + ", server "
        + WtReport.micros(s.serverUsPerOp())
        + " µs CPU/op, browser "
        + WtReport.micros(s.clientUsPerOp())
        + " µs CPU/op"
        + (s.errors() > 0
            ? ", " + s.errors() + " errors, first: " + s.firstError().orElse("")
            : "");
  }

  private String workload() {
    return "Rounds: "
        + rounds
        + " measured after "
        + warmupRounds
        + " warmup, odd rounds WebSocket first, even rounds the raw echo first; every phase over "
        + "one WebSocket connection (`/ws?protocol=jsonrpc`, a message per frame) or one "
        + "WebTransport session (its first bidirectional stream, a JSON text per line), both open "
        + "the whole run, each subscribed to its own channel. seq: "
        + calls
        + " calls of `echo` with a 64-byte string, one at a time; pipe: "
        + pipelinedCalls
        + " such calls, "
        + window
        + " in flight; seq and pipe again over a raw echo of the WebTransport session (a second "
        + "bidirectional stream, which the development server's demo writes back as it arrives: "
        + "no RPC peer, no JSON-RPC dispatch), sending the same JSON texts and reading each back; "
        + "push: "
        + pushes
        + " pushes, one at a time, each a `POST /api/v1/notifications/channel` from the page "
        + "(fetch), latency from the POST's start to the notification's arrival; push-rate: "
        + ratePushes
        + " pushes in `POST /api/v1/notifications/batch` requests of "
        + batch
        + ", at most "
        + batchWindow * batch
        + " sent and not yet received, notifications received per second. CPU/op: utime + stime "
        + "(/proc) of the server process, and of node with its Chromium processes, over the phase "
        + "÷ ops.";
  }

  private List<Phase> phases() {
    List<Phase> chosen = new ArrayList<>();
    for (String name : phaseNames) {
      Phase phase =
          java.util.Arrays.stream(Phase.values())
              .filter(p -> p.key.equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new CommandLine.ParameterException(
                          spec.commandLine(),
                          "unknown phase '" + name + "'; expected seq, pipe, push or push-rate"));
      chosen.add(phase);
    }
    return chosen;
  }

  private List<Transport> transports() {
    List<Transport> chosen = new ArrayList<>();
    for (Transport t : Transport.values()) {
      if (transportNames.contains(t.key)) {
        chosen.add(t);
      }
    }
    if (chosen.isEmpty() || chosen.size() != transportNames.size()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--transports takes one or more of ws, wt and wt-raw, got " + transportNames);
    }
    return chosen;
  }

  private static Optional<String> missingPrerequisite(Path dir) {
    if (!Files.isRegularFile(dir.resolve(WtBrowserClient.SCRIPT))) {
      return Optional.of(
          "no " + WtBrowserClient.SCRIPT + " in " + dir.toAbsolutePath() + " (see --node-dir)");
    }
    if (NodePeer.nodeVersion().isEmpty()) {
      return Optional.of("node is not on the PATH (install Node.js 20+)");
    }
    String chromium = Optional.ofNullable(System.getenv("CHROMIUM")).orElse("/usr/bin/chromium");
    if (!Files.isExecutable(Path.of(chromium))) {
      return Optional.of(
          "no Chromium at "
              + chromium
              + " (install Debian's chromium, or set CHROMIUM to its path)");
    }
    return Optional.empty();
  }
}
