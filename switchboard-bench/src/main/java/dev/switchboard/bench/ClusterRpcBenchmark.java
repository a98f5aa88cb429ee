package dev.switchboard.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs {@code BenchMain cluster-rpc}: per round, one fresh {@code redis-server} and three node JVMs
 * ({@link ClusterNodes}) whose in-process demo functions carry the resources r1, r2, r3, with the
 * per-connection message rate off; then, for each scenario, a throughput pass and a sequential pass
 * of {@code ws-rpc-client.mjs} against node 1, each answer checked, each node's CPU time sampled
 * over the client's measured window; once per round, after the prewarm, the {@link JavaHop}
 * reference against node 2.
 */
final class ClusterRpcBenchmark {

  /**
   * Facts of one round, beside its results: what the nodes did with no call running, and the
   * java-hop reference.
   */
  record Round(int round, List<Double> idleNodeCores, JavaHop javaHop) {
    Round {
      idleNodeCores = List.copyOf(idleNodeCores);
      Objects.requireNonNull(javaHop, "javaHop");
    }
  }

  static final int NODES = 3;
  private static final Duration QUIET_MAX = Duration.ofSeconds(5);
  private static final long IDLE_MILLIS = 2_000;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  /** Beyond a pass's own length: node's start, connecting, draining, closing. */
  private static final long PASS_SLACK_SECONDS = 40;

  /** The prewarm's measured part, whose numbers are dropped, only has to be short. */
  private static final double PREWARM_MEASURED_SECONDS = 0.5;

  private final ClusterRpcSettings settings;
  private final PrintStream progress;
  private final List<Round> rounds = new ArrayList<>();
  private String redisVersion = "?";

  ClusterRpcBenchmark(ClusterRpcSettings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /** Every round's results, in the order they ran; a failed scenario does not stop the others. */
  List<ClusterRpcResult> run() throws InterruptedException {
    List<ClusterRpcResult> results = new ArrayList<>();
    for (int round = 1; round <= settings.rounds(); round++) {
      List<ClusterRpcScenario> order = new ArrayList<>(settings.scenarios());
      if (round % 2 == 0) {
        order = order.reversed();
      }
      runRound(round, order, results);
    }
    return results;
  }

  List<Round> rounds() {
    return List.copyOf(rounds);
  }

  String redisVersion() {
    return redisVersion;
  }

  private void runRound(int round, List<ClusterRpcScenario> order, List<ClusterRpcResult> results)
      throws InterruptedException {
    say(round, "starting redis-server and " + NODES + " nodes...");
    try (ClusterNodes cluster =
        ClusterNodes.start(
            new ClusterLayout(NODES, true), fanoutSettings(), this::nodeEnv, progress)) {
      cluster.redis().ifPresent(r -> redisVersion = version(r));
      String url = "ws://" + FanoutBenchmark.HOST + ":" + cluster.first().port() + "/ws";
      List<CpuMeter> meters =
          cluster.processes().stream().map(p -> new CpuMeter(Optional.of(p))).toList();
      CpuMeter all = new CpuMeter(cluster.processes());
      awaitRoutable(round, url);
      if (settings.prewarmSeconds() > 0) {
        for (ClusterRpcScenario s : order) {
          say(round, s.key() + ": prewarm, " + plain(settings.prewarmSeconds()) + " s untimed...");
          pass(
              s,
              url,
              meters,
              settings.connections(),
              settings.inflight(),
              settings.prewarmSeconds(),
              PREWARM_MEASURED_SECONDS);
        }
      }
      all.awaitQuiet(QUIET_MAX, "cluster-rpc", progress);
      List<Double> idle = idleCores(meters);
      rounds.add(new Round(round, idle, javaHop(round, cluster.nodes().get(1).port())));
      for (ClusterRpcScenario s : order) {
        results.add(measure(round, s, url, meters, all));
      }
    } catch (IOException | BenchmarkException e) {
      say(round, "FAILED: " + e.getMessage());
      for (ClusterRpcScenario s : order) {
        if (results.stream().noneMatch(r -> r.round() == round && r.scenario() == s)) {
          results.add(new ClusterRpcResult.Failed(s, round, e.getMessage()));
        }
      }
    }
  }

  private ClusterRpcResult measure(
      int round, ClusterRpcScenario s, String url, List<CpuMeter> meters, CpuMeter all)
      throws InterruptedException {
    try {
      all.awaitQuiet(QUIET_MAX, "cluster-rpc", progress);
      ClusterRpcResult.Pass throughput =
          pass(
              s,
              url,
              meters,
              settings.connections(),
              settings.inflight(),
              settings.warmupSeconds(),
              settings.seconds());
      say(round, s.key() + ": throughput: " + describe(throughput));
      all.awaitQuiet(QUIET_MAX, "cluster-rpc", progress);
      ClusterRpcResult.Pass sequential =
          pass(s, url, meters, 1, 1, settings.warmupSeconds(), settings.seconds());
      say(round, s.key() + ": sequential: " + describe(sequential));
      return new ClusterRpcResult.Measured(s, round, sequential, throughput);
    } catch (BenchmarkException e) {
      say(round, s.key() + ": FAILED: " + e.getMessage());
      return new ClusterRpcResult.Failed(s, round, e.getMessage());
    }
  }

  /**
   * The java-hop reference against node 2: our client in this JVM, one call at a time, after an
   * untimed prewarm of its own (node 2 has served no device's {@code echo} yet), then the
   * sequential passes' warm-up and measured seconds.
   */
  private JavaHop javaHop(int round, int node2Port) throws InterruptedException {
    URI uri = URI.create("ws://" + FanoutBenchmark.HOST + ":" + node2Port + "/ws");
    say(round, "java-hop: our client in this JVM -> node 2, echo one call at a time...");
    JavaHop hop =
        JavaHop.measure(
            uri,
            ClusterRpcScenario.payload(settings.payloadBytes()),
            settings.prewarmSeconds() + settings.warmupSeconds(),
            settings.seconds(),
            settings.stallSeconds());
    say(
        round,
        switch (hop) {
          case JavaHop.Measured m ->
              String.format(
                  Locale.ROOT,
                  "java-hop: p50 %.0f µs, p99 %.0f µs, max %.0f µs, %,d answers checked",
                  m.latency().p50us(),
                  m.latency().p99us(),
                  m.maxUs(),
                  m.latency().calls());
          case JavaHop.Failed f -> "java-hop: FAILED: " + f.reason();
        });
    return hop;
  }

  /**
   * Waits until node 1 routes every scenario: its view of the other nodes' functions (read from
   * Redis) and its node links come up a moment after the nodes are healthy.
   */
  private void awaitRoutable(int round, String url) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    for (ClusterRpcScenario s : settings.scenarios()) {
      while (true) {
        try {
          pass(s, url, List.of(), 1, 1, 0, 0.2);
          break;
        } catch (BenchmarkException e) {
          if (System.nanoTime() > deadline) {
            throw new BenchmarkException(
                "node 1 did not route "
                    + s.key()
                    + " within "
                    + READY_TIMEOUT.toSeconds()
                    + " s: "
                    + e.getMessage(),
                e);
          }
          say(round, s.key() + ": not routable yet (" + e.getMessage() + "); retrying");
          Thread.sleep(500);
        }
      }
    }
    say(round, "every scenario answers correctly");
  }

  private ClusterRpcResult.Pass pass(
      ClusterRpcScenario s,
      String url,
      List<CpuMeter> meters,
      int connections,
      int inflight,
      double warmupSeconds,
      double seconds)
      throws InterruptedException {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            "node",
            settings.nodeDir().resolve(WsClientProcess.SCRIPT).toString(),
            "--url",
            url,
            "--connections",
            Integer.toString(connections),
            "--inflight",
            Integer.toString(inflight),
            "--seconds",
            plain(seconds),
            "--warmup-seconds",
            plain(warmupSeconds),
            "--payload-bytes",
            Integer.toString(settings.payloadBytes()),
            "--stall-seconds",
            plain(settings.stallSeconds())));
    command.addAll(s.clientArgs(ClusterRpcScenario.payload(settings.payloadBytes())));
    long timeout = (long) Math.ceil(warmupSeconds + seconds) + PASS_SLACK_SECONDS;
    WsClientProcess.Outcome outcome = WsClientProcess.run(command, meters, timeout, progress);
    if (outcome.client().errors() > 0) {
      // --on-error fail makes the client stop at the first; this only guards that contract.
      throw new BenchmarkException(
          outcome.client().errors()
              + " error answers, the first "
              + outcome.client().firstError().orElse("?"));
    }
    return new ClusterRpcResult.Pass(outcome.client(), outcome.servers());
  }

  /** Each node's cores over {@link #IDLE_MILLIS} with no client connected. */
  private static List<Double> idleCores(List<CpuMeter> meters) throws InterruptedException {
    List<CpuMeter.Snapshot> from = meters.stream().map(CpuMeter::snapshot).toList();
    Thread.sleep(IDLE_MILLIS);
    List<Double> cores = new ArrayList<>();
    for (int i = 0; i < meters.size(); i++) {
      cores.add(
          CpuMeter.between(from.get(i), meters.get(i).snapshot()).serverCores().orElse(Double.NaN));
    }
    return cores;
  }

  private Map<String, String> nodeEnv(int node) {
    return Map.of(
        "SWITCHBOARD_CLUSTER_RESOURCES",
        "r" + node,
        // Every call of a pass comes over a handful of connections: serve's 50 messages/s per
        // connection would measure the limiter.
        "SWITCHBOARD_WEBSOCKET_MESSAGES_PER_SECOND",
        "0");
  }

  private FanoutSettings fanoutSettings() {
    return new FanoutSettings(
        settings.connections(),
        settings.seconds(),
        settings.warmupSeconds(),
        1,
        settings.payloadBytes(),
        PushPayload.Shape.PADDED,
        List.of(1),
        30,
        1,
        1,
        1,
        EnumSet.of(PushSystem.SWITCHBOARD),
        EnumSet.of(FanoutSettings.Phase.FANOUT),
        settings.serverJvmArgs(),
        settings.serverEnv(),
        Optional.empty(),
        settings.nodeDir());
  }

  private static String version(RedisChild redis) {
    try {
      return redis.version();
    } catch (IOException e) {
      return "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  private static String describe(ClusterRpcResult.Pass p) {
    WsClientResult c = p.client();
    return String.format(
        Locale.ROOT,
        "%,.0f calls/s, p50 %s µs, p99 %s µs, server %s µs CPU/call, client %.2f cores, %,d answers checked",
        c.callsPerSecond(),
        c.latency().map(l -> String.format(Locale.ROOT, "%.0f", l.p50us())).orElse("-"),
        c.latency().map(l -> String.format(Locale.ROOT, "%.0f", l.p99us())).orElse("-"),
        p.serverMicrosPerCall().stream()
            .mapToObj(v -> String.format(Locale.ROOT, "%.1f", v))
            .findFirst()
            .orElse("?"),
        c.clientCores(),
        c.calls());
  }

  private static String plain(double value) {
    return RpcBenchSettings.plain(value);
  }

  private void say(int round, String message) {
    progress.println("cluster-rpc: round " + round + ": " + message);
  }
}
