package dev.switchboard.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code BenchMain cluster}: channel fan-out on one node in memory, one node on Redis, and several
 * nodes sharing one Redis ({@link ClusterBenchmark}); a Markdown report on stdout, progress on
 * stderr. Exits 1 when a configuration failed.
 */
@Command(
    name = "cluster",
    sortOptions = false,
    abbreviateSynopsis = true,
    description = {
      "Channel fan-out over loopback on each --nodes configuration, each with fresh",
      "processes: N Switchboard nodes (child JVMs; N-memory: the in-memory engine,",
      "else SWITCHBOARD_REDIS_URL of one fresh redis-server and node ids node-1..N),",
      "the devices held by node processes with ws, spread evenly over the nodes, all on",
      "one channel; the publisher sends to node 1's HTTP API. Measures deliveries/s,",
      "server CPU per delivery (all node JVMs, /proc), Redis CPU and Redis commands",
      "(INFO commandstats) per notification, latency. The default run takes about",
      "1.5 minutes per round. Markdown report on stdout, progress on stderr.",
      ""
    })
final class ClusterBenchCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = "--nodes",
      paramLabel = "CONF",
      split = ",",
      defaultValue = "1-memory,1,3",
      description =
          "Configurations: N (nodes sharing one Redis) or 1-memory (default ${DEFAULT-VALUE}).")
  List<String> nodes;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Rounds over the configurations; even rounds run them in reverse order (default "
              + "${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--connections",
      paramLabel = "N",
      defaultValue = "2000",
      description = "Devices: one WebSocket and one user each (default ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--inflight",
      paramLabel = "K",
      defaultValue = "4",
      description =
          "Messages in flight, each until every device has it (default ${DEFAULT-VALUE}).")
  int inflight;

  @Option(
      names = "--seconds",
      paramLabel = "S",
      defaultValue = "8",
      description = "Measured seconds per configuration (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--warmup-seconds",
      paramLabel = "S",
      defaultValue = "3",
      description = "Untimed seconds before the measurement (default ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(
      names = "--payload-bytes",
      paramLabel = "N",
      defaultValue = "64",
      description = "Size of the published payload's JSON (default ${DEFAULT-VALUE}).")
  int payloadBytes;

  @Option(
      names = "--node-processes",
      paramLabel = "N",
      defaultValue = "3",
      description =
          "Node processes holding the devices; process p connects to node p % nodes, so a "
              + "multiple of every node count spreads them evenly (default ${DEFAULT-VALUE}).")
  int nodeProcesses;

  @Option(
      names = "--handshakes",
      paramLabel = "N",
      defaultValue = "200",
      description =
          "Connections opening at once while the devices connect (default ${DEFAULT-VALUE}).")
  int handshakes;

  @Option(
      names = "--message-timeout",
      paramLabel = "S",
      defaultValue = "30",
      description =
          "A message not received by every device within this long is lost (default ${DEFAULT-VALUE}).")
  double messageTimeout;

  @Option(
      names = "--server-jvm-arg",
      paramLabel = "ARG",
      description =
          "Extra JVM flag for every node (repeatable), for example a JFR recording with %p in its "
              + "file name.")
  List<String> serverJvmArgs = new ArrayList<>();

  @Option(
      names = "--server-env",
      paramLabel = "NAME=VALUE",
      description = "Extra environment variable of every node (repeatable).")
  Map<String, String> serverEnv = new LinkedHashMap<>();

  @Option(
      names = "--node-dir",
      paramLabel = "DIR",
      description = "Folder of fanout-client.mjs (default: switchboard-bench/node).")
  Path nodeDir;

  @Override
  public Integer call() throws InterruptedException {
    List<ClusterLayout> layouts;
    FanoutSettings settings;
    try {
      layouts = nodes.stream().map(ClusterLayout::fromKey).distinct().toList();
      if (rounds < 1 || inflight < 1 || nodeProcesses < 1) {
        throw new IllegalArgumentException(
            "--rounds, --inflight and --node-processes must be 1 or more");
      }
      settings =
          new FanoutSettings(
              connections,
              seconds,
              warmupSeconds,
              1,
              payloadBytes,
              PushPayload.Shape.PADDED,
              List.of(inflight),
              messageTimeout,
              1,
              handshakes,
              32,
              EnumSet.of(PushSystem.SWITCHBOARD),
              EnumSet.of(FanoutSettings.Phase.FANOUT),
              serverJvmArgs,
              serverEnv,
              Optional.empty(),
              nodeDir == null ? RpcBenchCommand.defaultNodeDir() : nodeDir);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    Optional<String> why =
        NodeFleet.unavailable(settings.nodeDir(), PushSystem.SWITCHBOARD)
            .or(
                () ->
                    layouts.stream().anyMatch(ClusterLayout::redis)
                        ? RedisChild.unavailable()
                        : Optional.empty());
    if (why.isPresent()) {
      System.err.println("cluster: cannot run: " + why.get());
      return 1;
    }
    MachineFacts machine = MachineFacts.collect();
    System.err.println("cluster: " + machine.summary());
    List<ClusterResult> results =
        new ClusterBenchmark(layouts, rounds, settings, nodeProcesses, inflight, System.err).run();
    ClusterReport report =
        new ClusterReport(
            machine, RerunCommand.of(spec), settings, nodeProcesses, inflight, layouts, results);
    System.out.println();
    System.out.print(report.markdown());
    System.out.flush();
    return results.stream().anyMatch(r -> r instanceof ClusterResult.Failed) ? 1 : 0;
  }
}
