package dev.switchboard.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the systems of {@code BenchMain rpc} one after another (never two at once: the machine is
 * small and they would measure each other) and collects one {@link SystemResult} per system. A
 * system that fails becomes a {@link SystemResult.Failed} row; the others still run.
 */
final class RpcBenchmark {

  static final String SWITCHBOARD_LABEL = "Switchboard (Switchboard client, Vert.x server)";
  static final String RAW_LABEL = "raw WebSocket echo (same client transport, Vert.x server)";
  static final String NETTY_LABEL =
      "raw WebSocket echo (same client transport, Netty server, flush per read batch)";
  static final String NETTY_FLUSH_EACH_LABEL =
      "raw WebSocket echo (same client transport, Netty server, flush per frame)";

  private final RpcBenchSettings settings;
  private final Workload workload;
  private final PrintStream progress;

  RpcBenchmark(RpcBenchSettings settings, Workload workload, PrintStream progress) {
    this.settings = settings;
    this.workload = workload;
    this.progress = progress;
  }

  List<SystemResult> run() throws InterruptedException {
    List<SystemResult> results = new ArrayList<>();
    for (SystemId system : SystemId.values()) {
      if (!settings.systems().contains(system)) {
        continue;
      }
      SystemResult result = runOne(system);
      switch (result) {
        case SystemResult.Measured measured -> {}
        case SystemResult.NotRun notRun -> say(system, "not run: " + notRun.reason());
        case SystemResult.Failed failed -> say(system, "FAILED: " + failed.reason());
      }
      results.add(result);
      System.gc(); // start the next system without the garbage of this one
    }
    return results;
  }

  private SystemResult runOne(SystemId system) throws InterruptedException {
    String label =
        switch (system) {
          case SWITCHBOARD -> SWITCHBOARD_LABEL;
          case RAW -> RAW_LABEL;
          case NETTY -> NETTY_LABEL;
          case NETTY_FLUSH_EACH -> NETTY_FLUSH_EACH_LABEL;
          case RPC_WEBSOCKETS -> "rpc-websockets";
        };
    try {
      return switch (system) {
        case SWITCHBOARD -> {
          say(system, "starting the server JVM and connecting...");
          try (EchoTarget target =
              SwitchboardTarget.start(workload, settings.maxInflight(), settings.serverJvmArgs())) {
            yield measure(system, label, target);
          }
        }
        case RAW, NETTY, NETTY_FLUSH_EACH -> {
          say(system, "starting the echo server JVM and connecting...");
          try (EchoTarget target =
              RawEchoTarget.start(system, workload, settings.serverJvmArgs())) {
            yield measure(system, label, target);
          }
        }
        case RPC_WEBSOCKETS -> {
          say(
              system,
              "running node "
                  + settings.nodeDir().resolve(NodePeer.SCRIPT)
                  + " (progress below)...");
          yield new NodePeer(settings.nodeDir()).run(settings);
        }
      };
    } catch (BenchmarkException | IOException e) {
      return new SystemResult.Failed(system, label, e.getMessage());
    } catch (RuntimeException e) {
      return new SystemResult.Failed(system, label, e.toString());
    }
  }

  private SystemResult measure(SystemId system, String label, EchoTarget target)
      throws InterruptedException {
    LoadGenerator load = new LoadGenerator(target, settings.stall());
    if (!settings.prewarm().isZero()) {
      int top = settings.inflight().stream().max(Integer::compare).orElseThrow();
      say(
          system,
          "prewarm: "
              + RpcBenchSettings.plain(settings.prewarmSeconds())
              + " s at inflight="
              + top
              + ", untimed...");
      load.pipelined(top, settings.prewarm(), Duration.ofMillis(100));
    }
    say(
        system,
        "sequential "
            + settings.seqCalls()
            + " calls (after "
            + settings.warmupCalls()
            + " warmup)...");
    SequentialStats seq = load.sequential(settings.warmupCalls(), settings.seqCalls());
    say(
        system,
        String.format(
            "sequential: p50 %.1f us, p90 %.1f us, p99 %.1f us, p99.9 %.1f us, mean %.1f us",
            seq.p50us(), seq.p90us(), seq.p99us(), seq.p999us(), seq.meanUs()));
    List<PipelinedStats> pipelined = new ArrayList<>();
    for (int k : settings.inflight()) {
      say(
          system,
          "pipelined inflight="
              + k
              + ": "
              + RpcBenchSettings.plain(settings.warmupSeconds())
              + " s warmup + "
              + RpcBenchSettings.plain(settings.seconds())
              + " s measured...");
      PipelinedStats p = load.pipelined(k, settings.warmup(), settings.measure());
      say(
          system,
          String.format(
              "pipelined inflight=%d: %.0f calls/s (%d calls in %.3f s)",
              k, p.callsPerSecond(), p.calls(), p.seconds()));
      pipelined.add(p);
    }
    return new SystemResult.Measured(system, label, seq, pipelined);
  }

  private void say(SystemId system, String message) {
    progress.println(system.key() + ": " + message);
  }
}
