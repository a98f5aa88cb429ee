package dev.switchboard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code BenchMain cluster-rpc}: {@code cluster.call} over three nodes on one Redis, driven by an
 * independent client ({@link ClusterRpcBenchmark}); a Markdown report on stdout, progress on
 * stderr. Exits 1 when a scenario or a round's java-hop failed (a wrong or error answer, a stall, a
 * node that died).
 */
@Command(
    name = "cluster-rpc",
    sortOptions = false,
    abbreviateSynopsis = true,
    description = {
      "Clustered RPC over loopback: one fresh redis-server and 3 Switchboard nodes",
      "(child JVMs, development mode; node i's demo functions carry resource ri), the",
      "client Node's ws (one frame per message) on node 1. Scenarios: direct (JSON-RPC",
      "echo, no cluster layer), local (cluster.call echo @r1), routed (echo @r2, over",
      "the node link to node 2), graph3 (a@r1 -> b@r2 -> c@r3). Each: a throughput pass",
      "(--connections x --inflight) and a sequential pass (1 x 1); calls/s, latency,",
      "server CPU per call (all node JVMs, /proc). Per round, java-hop: our own Java",
      "client (the Java SDK) in this JVM, echo on node 2, one call at a time,",
      "the reference a routed call's added latency is also counted in. Every answer is",
      "checked. The default run takes about 2 minutes. Markdown report on stdout,",
      "progress on stderr.",
      ""
    })
final class ClusterRpcBenchCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = "--scenarios",
      paramLabel = "NAME",
      split = ",",
      defaultValue = "direct,local,routed,graph3",
      description = "Scenarios, in the order odd rounds run them (default ${DEFAULT-VALUE}).")
  List<String> scenarios;

  @Option(
      names = "--seconds",
      paramLabel = "S",
      defaultValue = "5",
      description = "Measured seconds of each pass (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--warmup-seconds",
      paramLabel = "S",
      defaultValue = "2",
      description = "Untimed seconds of each pass before them (default ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(
      names = "--prewarm-seconds",
      paramLabel = "S",
      defaultValue = "2",
      description =
          "Untimed throughput load of each scenario before a round's first measurement, for the "
              + "JIT compilers (default ${DEFAULT-VALUE}).")
  double prewarmSeconds;

  @Option(
      names = "--connections",
      paramLabel = "N",
      defaultValue = "4",
      description = "Connections of the throughput pass (default ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--inflight",
      paramLabel = "K",
      defaultValue = "16",
      description =
          "Calls in flight on each connection of the throughput pass (default ${DEFAULT-VALUE}).")
  int inflight;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Rounds, each on fresh processes; even rounds run the scenarios in reverse order "
              + "(default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--payload-bytes",
      paramLabel = "N",
      defaultValue = "64",
      description = "Length of the echoed string (default ${DEFAULT-VALUE}).")
  int payloadBytes;

  @Option(
      names = "--stall-seconds",
      paramLabel = "S",
      defaultValue = "15",
      description = "A pass fails when no answer arrives for this long (default ${DEFAULT-VALUE}).")
  double stallSeconds;

  @Option(
      names = "--server-jvm-arg",
      paramLabel = "ARG",
      description = "Extra JVM flag for every node (repeatable).")
  List<String> serverJvmArgs = new ArrayList<>();

  @Option(
      names = "--server-env",
      paramLabel = "NAME=VALUE",
      description = "Extra environment variable of every node (repeatable).")
  Map<String, String> serverEnv = new LinkedHashMap<>();

  @Option(
      names = "--node-dir",
      paramLabel = "DIR",
      description = "Folder of ws-rpc-client.mjs (default: switchboard-bench/node).")
  Path nodeDir;

  @Override
  public Integer call() throws InterruptedException {
    ClusterRpcSettings settings;
    try {
      List<ClusterRpcScenario> chosen = new ArrayList<>();
      for (String key : scenarios) {
        chosen.add(
            ClusterRpcScenario.fromKey(key)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "unknown scenario '"
                                + key
                                + "'; expected direct, local, routed or graph3")));
      }
      settings =
          new ClusterRpcSettings(
              seconds,
              warmupSeconds,
              prewarmSeconds,
              connections,
              inflight,
              rounds,
              payloadBytes,
              stallSeconds,
              chosen,
              serverJvmArgs,
              serverEnv,
              nodeDir == null ? RpcBenchCommand.defaultNodeDir() : nodeDir);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    Optional<String> why = missingPrerequisite(settings.nodeDir()).or(RedisChild::unavailable);
    if (why.isPresent()) {
      System.err.println("cluster-rpc: cannot run: " + why.get());
      return 1;
    }
    MachineFacts machine = MachineFacts.collect();
    System.err.println("cluster-rpc: " + machine.summary());
    ClusterRpcBenchmark benchmark = new ClusterRpcBenchmark(settings, System.err);
    List<ClusterRpcResult> results = benchmark.run();
    ClusterRpcReport report =
        new ClusterRpcReport(
            machine,
            RerunCommand.of(spec),
            settings,
            benchmark.redisVersion(),
            benchmark.rounds(),
            results);
    System.out.println();
    System.out.print(report.markdown());
    System.out.flush();
    boolean failed =
        results.stream().anyMatch(r -> r instanceof ClusterRpcResult.Failed)
            || benchmark.rounds().stream().anyMatch(r -> r.javaHop() instanceof JavaHop.Failed);
    return failed ? 1 : 0;
  }

  private static Optional<String> missingPrerequisite(Path dir) {
    if (!Files.isRegularFile(dir.resolve(WsClientProcess.SCRIPT))) {
      return Optional.of(
          "no " + WsClientProcess.SCRIPT + " in " + dir.toAbsolutePath() + " (see --node-dir)");
    }
    if (NodePeer.nodeVersion().isEmpty()) {
      return Optional.of("node is not on the PATH (install Node.js 20+)");
    }
    if (!Files.isDirectory(dir.resolve("node_modules").resolve("ws"))) {
      return Optional.of(
          "ws is not installed: run 'npm ci' in "
              + dir.toAbsolutePath()
              + " (./switchboard bench does it)");
    }
    return Optional.empty();
  }
}
