package dev.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code BenchMain fanout}: push notifications through Switchboard and through Socket.IO, one after
 * another over loopback, driven by the same devices and publisher in this JVM; a Markdown report on
 * stdout, progress on stderr. With {@code --client node} (or {@code both}, the default) the fan-out
 * phase runs again with the devices held by node processes using {@code ws} and {@code
 * socket.io-client} ({@link NodeFanoutRun}). Exits 1 when a system failed (a system that could not
 * be run, such as Socket.IO without node, is not a failure).
 */
@Command(
    name = "fanout",
    sortOptions = false,
    abbreviateSynopsis = true,
    description = {
      "Push fan-out over loopback, side by side:",
      "  switchboard  the server command line (child JVM); devices speak",
      "               JSON-RPC on /ws; POST /api/v1/notifications/...",
      "  socketio     node switchboard-bench/node/socketio-server.mjs",
      "               (Socket.IO 4.8, WebSocket transport only)",
      "Fan-out: one publisher, every device on one channel: deliveries/s and",
      "latency from the HTTP request to receipt, per --fanout-inflight level.",
      "Steady push: --rate sends/s to random single users: latency, misses.",
      "--client node: the same, with the devices held by node processes",
      "  (ws for Switchboard, socket.io-client for Socket.IO); fan-out only.",
      "The default run (10,000 devices, both clients) takes about 3.5 minutes.",
      "Markdown report on stdout, progress on stderr; exit code 1 if a system",
      "failed.",
      ""
    })
final class FanoutBenchCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = "--connections",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Devices: one WebSocket and one user each (default ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--seconds",
      paramLabel = "S",
      defaultValue = "15",
      description = "Measured seconds of each phase and fan-out level (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--warmup-seconds",
      paramLabel = "S",
      defaultValue = "3",
      description =
          "Untimed seconds before each phase's measurement; 1 s before fan-out levels after the "
              + "first (default ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(
      names = "--rate",
      paramLabel = "N",
      defaultValue = "1000",
      description =
          "Steady push: sends per second, each to one random user (default ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--payload-bytes",
      paramLabel = "N",
      defaultValue = "64",
      description =
          "Size of the published payload's JSON; at least ~50 (default ${DEFAULT-VALUE}).")
  int payloadBytes;

  @Option(
      names = "--payload",
      paramLabel = "SHAPE",
      defaultValue = "padded",
      description =
          "What fills the payload: padded (\"pad\":\"xxx...\"), or json (an order-update "
              + "notification with line items, deflating about 3:1 as real JSON does) (default "
              + "${DEFAULT-VALUE}).")
  String payload;

  @Option(
      names = "--fanout-inflight",
      paramLabel = "K",
      defaultValue = "1,16",
      split = ",",
      description =
          "Fan-out levels: messages in flight, each until every device has it (default "
              + "${DEFAULT-VALUE}).")
  List<Integer> fanoutInflight;

  @Option(
      names = "--only",
      paramLabel = "SYSTEM",
      split = ",",
      description = "Run only this system (repeatable): switchboard, socketio.")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--phases",
      paramLabel = "PHASE",
      split = ",",
      defaultValue = "fanout,push",
      description = "Phases to run: fanout, push (default ${DEFAULT-VALUE}).")
  List<String> phases;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Also write all results as JSON to FILE.")
  Path json;

  @Option(
      names = "--message-timeout",
      paramLabel = "S",
      defaultValue = "30",
      description =
          "A message not received by every device within this long is lost (default ${DEFAULT-VALUE}).")
  double messageTimeout;

  @Option(
      names = "--client-threads",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Event loops of the devices in this JVM; on 2 cores one costs less CPU per delivery than "
              + "two (default ${DEFAULT-VALUE}).")
  int clientThreads;

  @Option(
      names = "--handshakes",
      paramLabel = "N",
      defaultValue = "200",
      description =
          "Connections opening at once while the devices connect (default ${DEFAULT-VALUE}).")
  int handshakes;

  @Option(
      names = "--http-connections",
      paramLabel = "N",
      defaultValue = "32",
      description =
          "The publisher's keep-alive HTTP connections per server (default ${DEFAULT-VALUE}).")
  int httpConnections;

  @Option(
      names = "--server-jvm-arg",
      paramLabel = "ARG",
      description =
          "Extra JVM flag for the Switchboard server (repeatable), for example a JFR recording.")
  List<String> serverJvmArgs = new ArrayList<>();

  @Option(
      names = "--server-env",
      paramLabel = "NAME=VALUE",
      description = "Extra environment variable of the Switchboard server (repeatable).")
  Map<String, String> serverEnv = new LinkedHashMap<>();

  @Option(
      names = "--switchboard-url",
      paramLabel = "URL",
      description =
          "Use this running Switchboard server (http://host:port) instead of starting one; needs "
              + "--api-key and --jwt-secret.")
  URI switchboardUrl;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      description = "API key of the --switchboard-url server.")
  String apiKey;

  @Option(
      names = "--jwt-secret",
      paramLabel = "SECRET",
      description =
          "JWT secret of the --switchboard-url server (devices' tokens are signed with it).")
  String jwtSecret;

  @Option(
      names = "--client",
      paramLabel = "KIND",
      defaultValue = "both",
      description =
          "Who holds the devices: java (this JVM's device fleet), node (node processes with ws / "
              + "socket.io-client, the clients users use), both (default ${DEFAULT-VALUE}).")
  String client;

  @Option(
      names = "--node-processes",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "With --client node: node processes sharing the devices (default ${DEFAULT-VALUE}).")
  int nodeProcesses;

  @Option(
      names = "--node-inflight",
      paramLabel = "K",
      defaultValue = "16",
      description =
          "With --client node: messages in flight, each until every device has it (default "
              + "${DEFAULT-VALUE}).")
  int nodeInflight;

  @Option(
      names = "--node-dir",
      paramLabel = "DIR",
      description = "Folder of socketio-server.mjs (default: switchboard-bench/node).")
  Path nodeDir;

  @Override
  public Integer call() throws InterruptedException, IOException {
    FanoutSettings settings;
    try {
      settings =
          new FanoutSettings(
              connections,
              seconds,
              warmupSeconds,
              rate,
              payloadBytes,
              PushPayload.Shape.fromKey(payload),
              fanoutInflight,
              messageTimeout,
              clientThreads,
              handshakes,
              httpConnections,
              systems(),
              phases(),
              serverJvmArgs,
              serverEnv,
              external(),
              nodeDir == null ? RpcBenchCommand.defaultNodeDir() : nodeDir);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    boolean java = client.equals("java") || client.equals("both");
    boolean node = client.equals("node") || client.equals("both");
    if (!java && !node) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--client must be java, node or both, got '" + client + "'");
    }
    if (nodeProcesses < 1 || nodeInflight < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--node-processes and --node-inflight must be 1 "
              + "or more, got "
              + nodeProcesses
              + " and "
              + nodeInflight);
    }
    MachineFacts machine = MachineFacts.collect();
    System.err.println("fanout: " + machine.summary());

    List<FanoutResult> results = java ? new FanoutBenchmark(settings, System.err).run() : List.of();
    List<NodeFanoutResult> nodeResults =
        node
            ? new NodeFanoutRun(settings, nodeProcesses, nodeInflight, System.err).run()
            : List.of();

    FanoutReport report = new FanoutReport(machine, commandLine(), settings, results);
    NodeFanoutReport nodeReport = new NodeFanoutReport(settings, nodeResults);
    System.out.println();
    if (java) {
      System.out.print(report.markdown());
    } else {
      System.out.printf(
          "## Push fan-out benchmark%n%n%s%n%ncommand: `%s`%n", machine.summary(), commandLine());
    }
    if (node) {
      System.out.print(nodeReport.markdown());
    }
    System.out.flush();
    if (json != null) {
      Path parent = json.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      var root = report.json();
      if (node) {
        root.set("independentClients", nodeReport.json());
      }
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), root);
      System.err.println("fanout: results written to " + json);
    }
    return results.stream().anyMatch(r -> r instanceof FanoutResult.Failed)
            || nodeResults.stream().anyMatch(r -> r instanceof NodeFanoutResult.Failed)
        ? 1
        : 0;
  }

  private Set<PushSystem> systems() {
    if (only.isEmpty()) {
      return EnumSet.allOf(PushSystem.class);
    }
    return only.stream()
        .map(String::strip)
        .map(PushSystem::fromKey)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(PushSystem.class)));
  }

  private Set<FanoutSettings.Phase> phases() {
    return phases.stream()
        .map(String::strip)
        .map(FanoutSettings.Phase::fromKey)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(FanoutSettings.Phase.class)));
  }

  private Optional<FanoutSettings.ExternalServer> external() {
    if (switchboardUrl == null) {
      if (apiKey != null || jwtSecret != null) {
        throw new IllegalArgumentException("--api-key and --jwt-secret go with --switchboard-url");
      }
      return Optional.empty();
    }
    if (apiKey == null || jwtSecret == null) {
      throw new IllegalArgumentException("--switchboard-url needs --api-key and --jwt-secret");
    }
    return Optional.of(new FanoutSettings.ExternalServer(switchboardUrl, apiKey, jwtSecret));
  }

  /** The arguments as given, secrets masked, so that the report says how to run it again. */
  private String commandLine() {
    List<String> words = new ArrayList<>(List.of("BenchMain"));
    boolean secretNext = false;
    for (String arg : spec.root().commandLine().getParseResult().originalArgs()) {
      String word =
          secretNext ? "***" : arg.replaceFirst("^(--(?:api-key|jwt-secret)=).*", "$1***");
      secretNext = arg.equals("--api-key") || arg.equals("--jwt-secret");
      words.add(word.matches("[\\w@%+=:,./*-]+") ? word : "'" + word.replace("'", "'\\''") + "'");
    }
    return String.join(" ", words);
  }
}
