package dev.switchboard.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Runs the cluster benchmark: for each round, each configuration with fresh processes (Redis, the
 * node JVMs, the node processes holding the devices), then stops them all; even rounds take the
 * configurations in the order given, odd rounds in reverse, so that a drift of the machine does not
 * favour one. The fan-out itself is {@code fanout}'s independent-client phase ({@link NodeFleet},
 * {@link NodeFanoutPhase}) with the devices spread over the nodes and the publisher on node 1. A
 * configuration that fails does not stop the others.
 */
final class ClusterBenchmark {

  /** Before the measurement, how long to wait at most for the nodes to go quiet. */
  private static final Duration QUIET_LIMIT = Duration.ofSeconds(20);

  private final List<ClusterLayout> layouts;
  private final int rounds;
  private final FanoutSettings settings;
  private final int processes;
  private final int inflight;
  private final PrintStream progress;

  /**
   * @param processes node processes holding the devices; process p connects to node p % nodes
   * @param inflight messages the publisher keeps in flight, each until every device has it
   */
  ClusterBenchmark(
      List<ClusterLayout> layouts,
      int rounds,
      FanoutSettings settings,
      int processes,
      int inflight,
      PrintStream progress) {
    this.layouts = List.copyOf(layouts);
    this.rounds = rounds;
    this.settings = settings;
    this.processes = processes;
    this.inflight = inflight;
    this.progress = progress;
  }

  List<ClusterResult> run() throws InterruptedException {
    List<ClusterResult> results = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      List<ClusterLayout> order = new ArrayList<>(layouts);
      if (round % 2 == 0) {
        order = order.reversed();
      }
      for (ClusterLayout layout : order) {
        ClusterResult result = runOne(layout, round);
        switch (result) {
          case ClusterResult.Measured m ->
              progress.printf(
                  "cluster: round %d, %s: %,.0f deliveries/s, %.2f us server CPU/delivery, "
                      + "%.1f us Redis CPU and %.2f Redis commands/notification, p99 %.2f ms%n",
                  round,
                  layout.label(),
                  m.deliveriesPerSecond(),
                  m.serverMicrosPerDelivery(),
                  m.redisMicrosPerNotification(),
                  m.callsPerNotification(null),
                  m.fanout().latency().p99ms());
          case ClusterResult.Failed f ->
              progress.printf(
                  "cluster: round %d, %s FAILED: %s%n", round, layout.label(), f.reason());
        }
        results.add(result);
      }
    }
    return results;
  }

  private ClusterResult runOne(ClusterLayout layout, int round) throws InterruptedException {
    progress.printf("cluster: round %d: %s%n", round, layout.label());
    try (ClusterNodes cluster = ClusterNodes.start(layout, settings, progress)) {
      long connectStart = System.nanoTime();
      try (NodeFleet fleet =
          NodeFleet.start(
              PushSystem.SWITCHBOARD,
              cluster.nodes(),
              FanoutBenchmark.CHANNEL,
              settings.connections(),
              processes,
              settings.handshakes(),
              settings.nodeDir(),
              settings.connectTimeout(),
              progress)) {
        progress.printf(
            "cluster: %s: %,d devices ready in %.1f s%n",
            layout.label(), settings.connections(), (System.nanoTime() - connectStart) / 1e9);
        CpuMeter cpu = new CpuMeter(cluster.processes());
        cpu.awaitQuiet(QUIET_LIMIT, "cluster/" + layout.key(), progress);
        RedisWindow redis = new RedisWindow(cluster.redis());
        NodeFanoutResult.Measured fanout =
            new NodeFanoutPhase(
                    cluster.first(),
                    fleet,
                    cpu,
                    inflight,
                    settings.payloadBytes(),
                    settings.payload(),
                    settings.messageTimeout(),
                    progress)
                .observedBy(redis)
                .run(PushSystem.SWITCHBOARD, layout.label(), settings.warmup(), settings.measure());
        return new ClusterResult.Measured(
            layout, round, fanout, redis.cpuSeconds(), redis.commands());
      }
    } catch (BenchmarkException e) {
      return new ClusterResult.Failed(layout, round, e.getMessage());
    } catch (IOException | RuntimeException e) {
      return new ClusterResult.Failed(layout, round, e.toString());
    }
  }

  /**
   * Redis's CPU time and command counts at the two ends of the measured window; nothing in memory.
   * Runs on the publisher's thread.
   */
  private static final class RedisWindow implements NodeFanoutPhase.Window {

    private final Optional<RedisChild> redis;
    private Optional<Duration> cpuAtOpen = Optional.empty();
    private Optional<Duration> cpuAtClose = Optional.empty();
    private Map<String, Long> callsAtOpen = Map.of();
    private Map<String, Long> callsAtClose = Map.of();

    RedisWindow(Optional<RedisChild> redis) {
      this.redis = redis;
    }

    @Override
    public void opened() {
      redis.ifPresent(
          r -> {
            callsAtOpen = calls(r);
            cpuAtOpen = r.cpu();
          });
    }

    @Override
    public void closed() {
      redis.ifPresent(
          r -> {
            cpuAtClose = r.cpu();
            callsAtClose = calls(r);
          });
    }

    OptionalDouble cpuSeconds() {
      return cpuAtOpen.isPresent() && cpuAtClose.isPresent()
          ? OptionalDouble.of(cpuAtClose.get().minus(cpuAtOpen.get()).toNanos() / 1e9)
          : OptionalDouble.empty();
    }

    /** The deltas, without the {@code info} calls that read them. */
    Map<String, Long> commands() {
      Map<String, Long> delta = new HashMap<>();
      callsAtClose.forEach(
          (name, calls) -> {
            long d = calls - callsAtOpen.getOrDefault(name, 0L);
            if (d > 0 && !name.equals("info")) {
              delta.put(name, d);
            }
          });
      return delta;
    }

    private static Map<String, Long> calls(RedisChild redis) {
      try {
        return redis.commandCalls();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BenchmarkException("interrupted while reading Redis's commandstats", e);
      }
    }
  }
}
