package dev.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
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
 * {@code BenchMain rpc}: Switchboard, a raw WebSocket echo on the same stack, and rpc-websockets, one after
 * another over loopback with the same workload; a Markdown report on stdout, progress on stderr. Exits 1 when a
 * system failed (a system that could not be run, such as rpc-websockets without node, is not a failure).
 */
@Command(
    name = "rpc",
    sortOptions = false,
    abbreviateSynopsis = true,
    description = {
        "Latency and pipelined throughput of echo([payload]) over loopback, side by side:",
        "  switchboard     SwitchboardClient -> SwitchboardServer (child JVM)",
        "  raw             JDK WebSocket -> Vert.x WebSocket echo (child JVM),",
        "                  the limit of the stack",
        "  rpc-websockets  node switchboard-bench/node/rpcws-bench.mjs",
        "The systems run one after another; the default run takes about 2 minutes.",
        "Markdown report on stdout, progress on stderr; exit code 1 if a system failed.",
        ""})
final class RpcBenchCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--payload-bytes", paramLabel = "N", defaultValue = "64",
      description = "Length of the ASCII payload (default ${DEFAULT-VALUE}).")
  int payloadBytes;

  @Option(names = "--seq-calls", paramLabel = "N", defaultValue = "20000",
      description = "Timed sequential calls (default ${DEFAULT-VALUE}).")
  int seqCalls;

  @Option(names = "--warmup-calls", paramLabel = "N", defaultValue = "2000",
      description = "Untimed sequential calls before them (default ${DEFAULT-VALUE}).")
  int warmupCalls;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "5",
      description = "Measured seconds per in-flight level (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--inflight", paramLabel = "K", defaultValue = "1,16,256", split = ",",
      description = "In-flight levels of the pipelined phase (default ${DEFAULT-VALUE}).")
  List<Integer> inflight;

  @Option(names = "--only", paramLabel = "SYSTEM", split = ",",
      description = "Run only this system (repeatable): switchboard, raw, rpc-websockets.")
  List<String> only = new ArrayList<>();

  @Option(names = "--json", paramLabel = "FILE", description = "Also write all results as JSON to FILE.")
  Path json;

  @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "1",
      description = "Warmup seconds per in-flight level (default ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(names = "--prewarm-seconds", paramLabel = "S", defaultValue = "20",
      description = "Untimed load at the highest in-flight level before measuring each system, so that JIT "
          + "compilers (the JVM's and Node's) reach steady state (default ${DEFAULT-VALUE}).")
  double prewarmSeconds;

  @Option(names = "--stall-seconds", paramLabel = "S", defaultValue = "15",
      description = "Give up on a system when no call completes for this long (default ${DEFAULT-VALUE}).")
  double stallSeconds;

  @Option(names = "--server-jvm-arg", paramLabel = "ARG",
      description = "Extra JVM flag for the Java servers' child JVMs (repeatable), for example a JFR recording.")
  List<String> serverJvmArgs = new ArrayList<>();

  @Option(names = "--node-dir", paramLabel = "DIR",
      description = "Folder of rpcws-bench.mjs (default: switchboard-bench/node).")
  Path nodeDir;

  @Override
  public Integer call() throws InterruptedException, IOException {
    RpcBenchSettings settings;
    try {
      settings = new RpcBenchSettings(payloadBytes, seqCalls, warmupCalls, seconds, warmupSeconds, prewarmSeconds,
          stallSeconds,
          inflight, systems(), serverJvmArgs, nodeDir == null ? defaultNodeDir() : nodeDir);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    Workload workload = Workload.of(
        settings.payloadBytes(), SwitchboardTarget.clientConfig(settings.maxInflight()).callTimeout());
    MachineFacts machine = MachineFacts.collect();
    System.err.println("rpc: " + machine.summary());

    List<SystemResult> results = new RpcBenchmark(settings, workload, System.err).run();

    RpcReport report = new RpcReport(machine, commandLine(), settings, workload, results);
    System.out.println();
    System.out.print(report.markdown());
    System.out.flush();
    if (json != null) {
      Path parent = json.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), report.json());
      System.err.println("rpc: results written to " + json);
    }
    return results.stream().anyMatch(r -> r instanceof SystemResult.Failed) ? 1 : 0;
  }

  private Set<SystemId> systems() {
    if (only.isEmpty()) {
      return EnumSet.allOf(SystemId.class);
    }
    return only.stream().map(String::strip).map(SystemId::fromKey).collect(Collectors.toCollection(
        () -> EnumSet.noneOf(SystemId.class)));
  }

  /** The arguments as given, so that the report says exactly how to run it again. */
  private String commandLine() {
    List<String> words = new ArrayList<>(List.of("BenchMain"));
    // The root's parse result holds every argument, "rpc" included.
    for (String arg : spec.root().commandLine().getParseResult().originalArgs()) {
      words.add(arg.matches("[\\w@%+=:,./-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
    }
    return String.join(" ", words);
  }

  /** {@code switchboard-bench/node} under the working directory (the launcher's), else next to our classes. */
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
