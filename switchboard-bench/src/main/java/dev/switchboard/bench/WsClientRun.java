package dev.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The independent-client half of {@code BenchMain rpc}: one client that is none of ours, Node's
 * {@code ws} with its defaults ({@code node/ws-rpc-client.mjs}), drives every system the same way.
 * Systems run one after another, each in a fresh server process; for each, an untimed prewarm, then
 * every workload with permessage-deflate offered and not. The client runs as a new node process per
 * cell and prints its numbers; around its measured window it prints two marker lines, where {@link
 * WsClientProcess} samples the server's CPU time ({@link CpuMeter}), so that the cost per call is
 * the server's own, over the client's window.
 */
final class WsClientRun {

  static final String SCRIPT = WsClientProcess.SCRIPT;

  /** The prewarm is one cell whose numbers are dropped; its measured part only has to be short. */
  private static final double PREWARM_MEASURED_SECONDS = 0.5;

  /** Beyond a cell's own length: node's start, connecting, draining, closing. */
  private static final long CELL_SLACK_SECONDS = 40;

  private final RpcBenchSettings rpc;
  private final WsClientSettings ws;
  private final PrintStream progress;

  WsClientRun(RpcBenchSettings rpc, WsClientSettings ws, PrintStream progress) {
    this.rpc = rpc;
    this.ws = ws;
    this.progress = progress;
  }

  /**
   * Runs the systems of {@code rpc.systems()} in {@link SystemId} order; a system that fails does
   * not stop the rest.
   */
  List<WsSystemRun> run() throws InterruptedException {
    Optional<String> missing = missingPrerequisite();
    List<WsSystemRun> runs = new ArrayList<>();
    for (SystemId system : SystemId.values()) {
      if (!rpc.systems().contains(system)) {
        continue;
      }
      Optional<String> cannot =
          missing.or(
              () -> system == SystemId.RPC_WEBSOCKETS ? missingRpcWebsockets() : Optional.empty());
      if (cannot.isPresent()) {
        say(system, "not run: " + cannot.get());
        runs.add(
            new WsSystemRun(
                system,
                label(system),
                allCells(system, (w, o) -> new WsCell.NotRun(system, w, o, cannot.get()))));
        continue;
      }
      runs.add(runSystem(system));
    }
    return runs;
  }

  private WsSystemRun runSystem(SystemId system) throws InterruptedException {
    List<WsCell> cells = new ArrayList<>();
    say(system, "starting the server...");
    try (WsServer server = WsServer.start(system, rpc.serverJvmArgs(), rpc.nodeDir())) {
      say(system, server + " at " + server.uri());
      if (ws.prewarmSeconds() > 0) {
        WsWorkload top = ws.workloads().getFirst();
        say(
            system,
            "prewarm: "
                + RpcBenchSettings.plain(ws.prewarmSeconds())
                + " s of "
                + top.title()
                + ", untimed...");
        if (runCell(system, server, top, false, ws.prewarmSeconds(), PREWARM_MEASURED_SECONDS)
            instanceof WsCell.Failed f) {
          throw new BenchmarkException("prewarm failed: " + f.reason());
        }
      }
      for (WsWorkload workload : ws.workloads()) {
        for (boolean offered : List.of(true, false)) {
          WsCell cell =
              runCell(system, server, workload, offered, ws.warmupSeconds(), ws.seconds());
          say(system, describe(cell));
          cells.add(cell);
        }
      }
    } catch (BenchmarkException | IOException e) {
      say(system, "FAILED: " + e.getMessage());
      List<WsCell> done = List.copyOf(cells);
      cells.clear();
      cells.addAll(
          allCells(
              system,
              (w, o) ->
                  done.stream()
                      .filter(c -> c.workload().equals(w) && c.offered() == o)
                      .findFirst()
                      .orElseGet(() -> new WsCell.Failed(system, w, o, e.getMessage()))));
    }
    return new WsSystemRun(system, label(system), cells);
  }

  /**
   * One node client against {@code server}, with the server's CPU time sampled at the client's
   * markers.
   */
  private WsCell runCell(
      SystemId system,
      WsServer server,
      WsWorkload workload,
      boolean offered,
      double warmupSeconds,
      double seconds)
      throws InterruptedException {
    List<String> command =
        List.of(
            "node",
            rpc.nodeDir().resolve(SCRIPT).toString(),
            "--url",
            server.uri().toString(),
            "--reply",
            server.reply().key(),
            "--connections",
            Integer.toString(workload.connections()),
            "--inflight",
            Integer.toString(workload.inflightPerConnection()),
            "--seconds",
            RpcBenchSettings.plain(seconds),
            "--warmup-seconds",
            RpcBenchSettings.plain(warmupSeconds),
            "--payload-bytes",
            Integer.toString(rpc.payloadBytes()),
            "--compression",
            offered ? "offer" : "none",
            "--stall-seconds",
            RpcBenchSettings.plain(ws.stallSeconds()));
    CpuMeter meter = new CpuMeter(Optional.of(server.process()));
    long timeout = (long) Math.ceil(warmupSeconds + seconds) + CELL_SLACK_SECONDS;
    try {
      WsClientProcess.Outcome outcome =
          WsClientProcess.run(command, List.of(meter), timeout, progress);
      return new WsCell.Measured(
          system, workload, offered, outcome.client(), outcome.servers().getFirst());
    } catch (BenchmarkException e) {
      return new WsCell.Failed(system, workload, offered, e.getMessage());
    }
  }

  private Optional<String> missingPrerequisite() {
    Path dir = rpc.nodeDir();
    if (!Files.isRegularFile(dir.resolve(SCRIPT))) {
      return Optional.of("no " + SCRIPT + " in " + dir.toAbsolutePath() + " (see --node-dir)");
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

  private Optional<String> missingRpcWebsockets() {
    return Files.isDirectory(rpc.nodeDir().resolve("node_modules").resolve("rpc-websockets"))
        ? Optional.empty()
        : Optional.of(
            "rpc-websockets is not installed: run 'npm ci' in " + rpc.nodeDir().toAbsolutePath());
  }

  private String label(SystemId system) {
    return switch (system) {
      case SWITCHBOARD -> "Switchboard (serve-rpc, Vert.x)";
      case RAW -> "raw Vert.x WebSocket echo";
      case NETTY -> "raw Netty WebSocket echo (flush per read batch)";
      case NETTY_FLUSH_EACH -> "raw Netty WebSocket echo (flush per frame)";
      case RPC_WEBSOCKETS ->
          "rpc-websockets "
              + packageVersion("rpc-websockets")
              + " server (node "
              + NodePeer.nodeVersion().orElse("?")
              + ")";
    };
  }

  private String packageVersion(String name) {
    Path json = rpc.nodeDir().resolve("node_modules").resolve(name).resolve("package.json");
    try {
      return new ObjectMapper().readTree(json.toFile()).path("version").asText("?");
    } catch (IOException e) {
      return "?";
    }
  }

  private List<WsCell> allCells(SystemId system, CellFactory factory) {
    List<WsCell> cells = new ArrayList<>();
    for (WsWorkload workload : ws.workloads()) {
      cells.add(factory.cell(workload, true));
      cells.add(factory.cell(workload, false));
    }
    return cells;
  }

  private interface CellFactory {
    WsCell cell(WsWorkload workload, boolean offered);
  }

  private static String describe(WsCell cell) {
    String head =
        cell.workload().key()
            + ", compression "
            + (cell.offered() ? "offered" : "not offered")
            + ": ";
    return head
        + switch (cell) {
          case WsCell.Measured m ->
              String.format(
                  Locale.ROOT,
                  "server answered '%s'; %,.0f calls/s, p50 %s us, p99 %s us, server %s us CPU/call (%.2f cores), "
                      + "client %.2f cores, %d errors",
                  m.client().extensions(),
                  m.client().callsPerSecond(),
                  m.client()
                      .latency()
                      .map(l -> String.format(Locale.ROOT, "%.1f", l.p50us()))
                      .orElse("-"),
                  m.client()
                      .latency()
                      .map(l -> String.format(Locale.ROOT, "%.1f", l.p99us()))
                      .orElse("-"),
                  m.serverMicrosPerCall().stream()
                      .mapToObj(v -> String.format(Locale.ROOT, "%.1f", v))
                      .findFirst()
                      .orElse("?"),
                  m.server().serverCores().orElse(Double.NaN),
                  m.client().clientCores(),
                  m.client().errors());
          case WsCell.NotRun n -> "not run: " + n.reason();
          case WsCell.Failed f -> "FAILED: " + f.reason();
        };
  }

  private void say(SystemId system, String message) {
    progress.println("ws/" + system.key() + ": " + message);
  }
}
