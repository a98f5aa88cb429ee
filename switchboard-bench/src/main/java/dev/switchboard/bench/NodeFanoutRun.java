package dev.switchboard.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The independent-client half of {@code BenchMain fanout} ({@code --client node}): the same servers
 * and publisher as the Java half, but the devices are held by node processes with the clients users
 * use ({@link NodeFleet}). Systems run one after another, each with a fresh server; a system that
 * fails does not stop the others.
 */
final class NodeFanoutRun {

  /**
   * Before the phase, how long to wait at most for the server to go quiet after the connections.
   */
  private static final Duration QUIET_LIMIT = Duration.ofSeconds(30);

  private final FanoutSettings settings;
  private final int processes;
  private final int inflight;
  private final PrintStream progress;

  /**
   * @param processes node processes sharing the devices
   * @param inflight messages the publisher keeps in flight
   */
  NodeFanoutRun(FanoutSettings settings, int processes, int inflight, PrintStream progress) {
    this.settings = settings;
    this.processes = processes;
    this.inflight = inflight;
    this.progress = progress;
  }

  List<NodeFanoutResult> run() throws InterruptedException {
    List<NodeFanoutResult> results = new ArrayList<>();
    for (PushSystem system : PushSystem.values()) {
      if (!settings.systems().contains(system)) {
        continue;
      }
      NodeFanoutResult result = runOne(system);
      switch (result) {
        case NodeFanoutResult.Measured m ->
            progress.printf(
                "fanout/node: %s: %,d of %,d deliveries, server %.2f us CPU/delivery, p99 %.2f ms%n",
                m.label(),
                m.received(),
                m.expected(),
                m.serverMicrosPerDelivery(),
                m.latency().p99ms());
        case NodeFanoutResult.NotRun n ->
            progress.println("fanout/node: " + n.label() + " not run: " + n.reason());
        case NodeFanoutResult.Failed f ->
            progress.println("fanout/node: " + f.label() + " FAILED: " + f.reason());
      }
      results.add(result);
    }
    return results;
  }

  private NodeFanoutResult runOne(PushSystem system) throws InterruptedException {
    Optional<String> why =
        NodeFleet.unavailable(settings.nodeDir(), system)
            .or(
                () ->
                    system == PushSystem.SOCKETIO
                        ? SocketIoPeer.unavailable(settings.nodeDir())
                        : Optional.empty());
    if (why.isPresent()) {
      return new NodeFanoutResult.NotRun(system, system.displayName(), why.get());
    }
    String label = system.displayName();
    progress.println("fanout/node: starting " + label);
    try (PushTarget target = system.start(settings)) {
      label = target.label();
      progress.printf(
          "fanout/node: %s: connecting %,d devices from %d node process(es)%n",
          label, settings.connections(), processes);
      long connectStart = System.nanoTime();
      try (NodeFleet fleet =
          NodeFleet.start(
              system,
              target,
              FanoutBenchmark.CHANNEL,
              settings.connections(),
              processes,
              settings.handshakes(),
              settings.nodeDir(),
              settings.connectTimeout(),
              progress)) {
        progress.printf(
            "fanout/node: %s: devices ready in %.1f s%n",
            label, (System.nanoTime() - connectStart) / 1e9);
        CpuMeter cpu = new CpuMeter(target.process());
        cpu.awaitQuiet(QUIET_LIMIT, "fanout/node/" + system.key(), progress);
        return new NodeFanoutPhase(
                target,
                fleet,
                cpu,
                inflight,
                settings.payloadBytes(),
                settings.payload(),
                settings.messageTimeout(),
                progress)
            .run(system, label, settings.warmup(), settings.measure());
      }
    } catch (BenchmarkException e) {
      return new NodeFanoutResult.Failed(system, label, e.getMessage());
    } catch (IOException | RuntimeException e) {
      return new NodeFanoutResult.Failed(system, label, e.toString());
    }
  }
}
