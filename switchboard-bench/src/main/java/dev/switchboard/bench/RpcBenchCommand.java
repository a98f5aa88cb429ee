package dev.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code BenchMain rpc}: Switchboard, raw WebSocket echoes on the same stack (Vert.x, and Netty
 * without Vert.x), and rpc-websockets, one after another over loopback with the same workload, each
 * driven by its own client ({@code --client java}: {@link RpcBenchmark}) and by one independent
 * client, Node's {@code ws} ({@code --client ws}: {@link WsClientRun}); a Markdown report on
 * stdout, progress on stderr. Exits 1 when a system failed (a system that could not be run, such as
 * rpc-websockets without node, is not a failure).
 */
@Command(
    name = "rpc",
    sortOptions = false,
    abbreviateSynopsis = true,
    description = {
      "Latency and pipelined throughput of echo([payload]) over loopback, side by side:",
      "  switchboard     SwitchboardClient -> SwitchboardServer (child JVM)",
      "  raw             the client's WebSocket transport -> Vert.x WebSocket echo",
      "                  (child JVM), the limit of the stack",
      "  netty           the same transport -> Netty WebSocket echo (child JVM),",
      "                  flushing once per read batch: Netty without Vert.x",
      "  netty-flush-each  the same, flushing after every frame (only with --only)",
      "  rpc-websockets  node switchboard-bench/node/rpcws-bench.mjs",
      "Then, with --client ws or both (the default), one independent client,",
      "Node's ws with its defaults (switchboard-bench/node/ws-rpc-client.mjs),",
      "drives each system's server the same way: (a) 1 connection x 256 in",
      "flight, (b) sequential calls, (c) 200 connections x 2 in flight, each with",
      "permessage-deflate offered and not; server CPU per call beside calls/s.",
      "The systems run one after another; the default run takes about 7 minutes",
      "(--client java about 3, --client ws about 4).",
      "Markdown report on stdout, progress on stderr; exit code 1 if a system failed.",
      ""
    })
final class RpcBenchCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = "--payload-bytes",
      paramLabel = "N",
      defaultValue = "64",
      description = "Length of the ASCII payload (default ${DEFAULT-VALUE}).")
  int payloadBytes;

  @Option(
      names = "--seq-calls",
      paramLabel = "N",
      defaultValue = "20000",
      description = "Timed sequential calls (default ${DEFAULT-VALUE}).")
  int seqCalls;

  @Option(
      names = "--warmup-calls",
      paramLabel = "N",
      defaultValue = "2000",
      description = "Untimed sequential calls before them (default ${DEFAULT-VALUE}).")
  int warmupCalls;

  @Option(
      names = "--seconds",
      paramLabel = "S",
      defaultValue = "5",
      description = "Measured seconds per in-flight level (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--inflight",
      paramLabel = "K",
      defaultValue = "1,16,256",
      split = ",",
      description = "In-flight levels of the pipelined phase (default ${DEFAULT-VALUE}).")
  List<Integer> inflight;

  @Option(
      names = "--only",
      paramLabel = "SYSTEM",
      split = ",",
      description =
          "Run only this system (repeatable): switchboard, raw, netty, netty-flush-each, "
              + "rpc-websockets. Default: all but netty-flush-each.")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Also write all results as JSON to FILE.")
  Path json;

  @Option(
      names = "--warmup-seconds",
      paramLabel = "S",
      defaultValue = "1",
      description = "Warmup seconds per in-flight level (default ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(
      names = "--prewarm-seconds",
      paramLabel = "S",
      defaultValue = "20",
      description =
          "Untimed load at the highest in-flight level before measuring each system, so that JIT "
              + "compilers (the JVM's and Node's) reach steady state (default ${DEFAULT-VALUE}).")
  double prewarmSeconds;

  @Option(
      names = "--stall-seconds",
      paramLabel = "S",
      defaultValue = "15",
      description =
          "Give up on a system when no call completes for this long (default ${DEFAULT-VALUE}).")
  double stallSeconds;

  @Option(
      names = "--server-jvm-arg",
      paramLabel = "ARG",
      description =
          "Extra JVM flag for the Java servers' child JVMs (repeatable), for example a JFR recording.")
  List<String> serverJvmArgs = new ArrayList<>();

  @Option(
      names = "--node-dir",
      paramLabel = "DIR",
      description =
          "Folder of rpcws-bench.mjs and ws-rpc-client.mjs (default: switchboard-bench/node).")
  Path nodeDir;

  @Option(
      names = "--client",
      paramLabel = "WHICH",
      defaultValue = "both",
      description =
          "java: our Java client (and rpc-websockets' own); ws: one independent client, Node's ws, for "
              + "every system; both (default ${DEFAULT-VALUE}).")
  String client;

  @Option(
      names = "--ws-seconds",
      paramLabel = "S",
      defaultValue = "5",
      description = "ws client: measured seconds per cell (default ${DEFAULT-VALUE}).")
  double wsSeconds;

  @Option(
      names = "--ws-warmup-seconds",
      paramLabel = "S",
      defaultValue = "2",
      description = "ws client: untimed seconds per cell before them (default ${DEFAULT-VALUE}).")
  double wsWarmupSeconds;

  @Option(
      names = "--ws-prewarm-seconds",
      paramLabel = "S",
      defaultValue = "10",
      description =
          "ws client: untimed load of workload (a) before each system's first cell (default "
              + "${DEFAULT-VALUE}).")
  double wsPrewarmSeconds;

  @Option(
      names = "--ws-inflight",
      paramLabel = "K",
      defaultValue = "256",
      description =
          "ws client: calls in flight on the one connection of workload (a) (default ${DEFAULT-VALUE}).")
  int wsInflight;

  @Option(
      names = "--ws-connections",
      paramLabel = "N",
      defaultValue = "200",
      description = "ws client: connections of workload (c) (default ${DEFAULT-VALUE}).")
  int wsConnections;

  @Option(
      names = "--ws-inflight-per-connection",
      paramLabel = "K",
      defaultValue = "2",
      description =
          "ws client: calls in flight on each connection of workload (c) (default ${DEFAULT-VALUE}).")
  int wsInflightPerConnection;

  @Override
  public Integer call() throws InterruptedException, IOException {
    RpcBenchSettings settings;
    WsClientSettings wsSettings;
    try {
      settings =
          new RpcBenchSettings(
              payloadBytes,
              seqCalls,
              warmupCalls,
              seconds,
              warmupSeconds,
              prewarmSeconds,
              stallSeconds,
              inflight,
              systems(),
              serverJvmArgs,
              nodeDir == null ? defaultNodeDir() : nodeDir);
      wsSettings =
          new WsClientSettings(
              wsSeconds,
              wsWarmupSeconds,
              wsPrewarmSeconds,
              stallSeconds,
              wsInflight,
              wsConnections,
              wsInflightPerConnection);
      if (!List.of("java", "ws", "both").contains(client)) {
        throw new IllegalArgumentException(
            "--client must be java, ws or both, got '" + client + "'");
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    boolean javaClient = !client.equals("ws");
    boolean wsClient = !client.equals("java");
    Workload workload =
        Workload.of(
            settings.payloadBytes(),
            SwitchboardTarget.clientConfig(settings.maxInflight()).callTimeout());
    MachineFacts machine = MachineFacts.collect();
    System.err.println("rpc: " + machine.summary());

    List<SystemResult> results =
        javaClient ? new RpcBenchmark(settings, workload, System.err).run() : List.of();
    List<WsSystemRun> wsRuns =
        wsClient ? new WsClientRun(settings, wsSettings, System.err).run() : List.of();

    RpcReport report = new RpcReport(machine, RerunCommand.of(spec), settings, workload, results);
    WsRpcTable wsTable =
        new WsRpcTable(machine, RerunCommand.of(spec), settings, wsSettings, wsRuns);
    System.out.println();
    if (javaClient) {
      System.out.print(report.markdown());
    }
    if (wsClient) {
      System.out.print(javaClient ? "\n" + wsTable.markdown() : wsTable.markdown());
    }
    System.out.flush();
    if (json != null) {
      Path parent = json.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      ObjectNode root = report.json();
      if (wsClient) {
        root.set("wsClient", wsTable.json());
      }
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), root);
      System.err.println("rpc: results written to " + json);
    }
    boolean failed =
        results.stream().anyMatch(r -> r instanceof SystemResult.Failed)
            || wsRuns.stream()
                .flatMap(r -> r.cells().stream())
                .anyMatch(c -> c instanceof WsCell.Failed);
    return failed ? 1 : 0;
  }

  private Set<SystemId> systems() {
    if (only.isEmpty()) {
      return SystemId.defaults();
    }
    return only.stream()
        .map(String::strip)
        .map(SystemId::fromKey)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(SystemId.class)));
  }

  /**
   * {@code switchboard-bench/node} under the working directory (the launcher's), else next to our
   * classes.
   */
  static Path defaultNodeDir() {
    Path fromRoot = Path.of("switchboard-bench", "node");
    if (Files.isDirectory(fromRoot)) {
      return fromRoot;
    }
    try {
      CodeSource source = BenchMain.class.getProtectionDomain().getCodeSource();
      if (source != null) {
        // .../switchboard-bench/target/classes -> .../switchboard-bench/node
        Path module = Path.of(source.getLocation().toURI()).getParent().getParent();
        if (Files.isDirectory(module.resolve("node"))) {
          return module.resolve("node");
        }
      }
    } catch (URISyntaxException | RuntimeException e) {
      // Fall back to the path a user would expect; NodePeer reports it if it is not there.
    }
    return fromRoot;
  }
}
