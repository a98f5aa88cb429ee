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

  /**
   * How long the nodes' and Redis's CPU and Redis's commands are counted with nothing published, to
   * tell what idle nodes cost (heartbeats, presence, the trigger lease, timers) from what a
   * notification costs.
   */
  private static final Duration IDLE_SAMPLE = Duration.ofSeconds(2);

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
        ClusterWindow window = new ClusterWindow(cluster.redis(), cluster.processes());
        CpuMeter.Snapshot idleFrom = cpu.snapshot();
        window.sampleIdle(IDLE_SAMPLE);
        double serverIdleCores =
            CpuMeter.between(idleFrom, cpu.snapshot()).serverCores().orElse(Double.NaN);
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
                .observedBy(window)
                .run(PushSystem.SWITCHBOARD, layout.label(), settings.warmup(), settings.measure());
        return new ClusterResult.Measured(
            layout,
            round,
            fanout,
            serverIdleCores,
            window.syscalls(),
            window.nodeCpu(),
            window.window(),
            window.idle());
      }
    } catch (BenchmarkException e) {
      return new ClusterResult.Failed(layout, round, e.getMessage());
    } catch (IOException | RuntimeException e) {
      return new ClusterResult.Failed(layout, round, e.toString());
    }
  }

  /**
   * The node JVMs' system calls and Redis's counters at the two ends of the measured window, and
   * Redis's per second over a sample before it (nothing in memory). Runs on the publisher's thread.
   */
  private static final class ClusterWindow implements NodeFanoutPhase.Window {

    private final Optional<RedisChild> redis;
    private final List<ProcessHandle> nodes;
    private ProcSyscalls syscallsAtOpen = new ProcSyscalls(-1, -1);
    private ProcSyscalls syscalls = new ProcSyscalls(-1, -1);
    private List<Double> nodeCpuAtOpen = List.of();
    private List<Double> nodeCpu = List.of();
    private Optional<RedisCounters> atOpen = Optional.empty();
    private Optional<RedisCounters> window = Optional.empty();
    private Optional<RedisCounters> idle = Optional.empty();

    ClusterWindow(Optional<RedisChild> redis, List<ProcessHandle> nodes) {
      this.redis = redis;
      this.nodes = nodes;
    }

    /**
     * Counts over {@code sample} with nothing published, as rates per second (in memory: only
     * waits, so that every configuration has the same pause).
     */
    void sampleIdle(Duration sample) throws InterruptedException {
      if (redis.isEmpty()) {
        Thread.sleep(sample);
        return;
      }
      RedisCounters from = counters(redis.get());
      long start = System.nanoTime();
      Thread.sleep(sample);
      RedisCounters used = counters(redis.get()).minus(from);
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, RedisCounters.Command> perSecond = new HashMap<>();
      used.commands()
          .forEach(
              (name, c) ->
                  perSecond.put(
                      name,
                      new RedisCounters.Command(
                          Math.round(c.calls() / seconds), Math.round(c.usec() / seconds))));
      idle = Optional.of(new RedisCounters(used.cpuSeconds() / seconds, perSecond));
    }

    @Override
    public void opened() {
      atOpen = redis.map(ClusterWindow::counters);
      syscallsAtOpen = ProcSyscalls.of(nodes);
      nodeCpuAtOpen = cpuSeconds(nodes);
    }

    @Override
    public void closed() {
      syscalls = ProcSyscalls.of(nodes).minus(syscallsAtOpen);
      List<Double> now = cpuSeconds(nodes);
      List<Double> used = new ArrayList<>();
      for (int i = 0; i < now.size() && i < nodeCpuAtOpen.size(); i++) {
        used.add(now.get(i) - nodeCpuAtOpen.get(i));
      }
      nodeCpu = used;
      window = redis.map(r -> counters(r).minus(atOpen.orElseThrow()));
    }

    /** Each node's CPU seconds in the window, node 1 first (NaN where unknown). */
    List<Double> nodeCpu() {
      return nodeCpu;
    }

    private static List<Double> cpuSeconds(List<ProcessHandle> nodes) {
      return nodes.stream()
          .map(n -> n.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN))
          .toList();
    }

    /** The node JVMs' system calls in the window. */
    ProcSyscalls syscalls() {
      return syscalls;
    }

    Optional<RedisCounters> window() {
      return window;
    }

    /** Per second: CPU seconds per second (cores), calls per second. */
    Optional<RedisCounters> idle() {
      return idle;
    }

    private static RedisCounters counters(RedisChild redis) {
      try {
        return redis.counters();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BenchmarkException("interrupted while reading Redis's counters", e);
      }
    }
  }
}
