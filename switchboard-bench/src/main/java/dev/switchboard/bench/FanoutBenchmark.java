package dev.switchboard.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the fan-out benchmark on each system, one after another, each with fresh processes: start
 * the server, connect and subscribe the devices, run the fan-out phase, then the steady-push phase,
 * then stop everything. A system that fails does not stop the others.
 */
final class FanoutBenchmark {

  /** Every server of the benchmark is reached on the loopback address. */
  static final String HOST = "127.0.0.1";

  /** The channel (Socket.IO: room) every device subscribes to. */
  static final String CHANNEL = "bench";

  /**
   * Before each phase, how long to wait at most for the server and this JVM to go quiet (after ten
   * thousand connections, JIT compilers and collectors are busy for several seconds on two cores).
   */
  private static final Duration QUIET_LIMIT = Duration.ofSeconds(30);

  private final FanoutSettings settings;
  private final PrintStream progress;

  FanoutBenchmark(FanoutSettings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  List<FanoutResult> run() throws InterruptedException {
    List<FanoutResult> results = new ArrayList<>();
    for (PushSystem system : PushSystem.values()) {
      if (settings.systems().contains(system)) {
        FanoutResult result = runOne(system);
        switch (result) {
          case FanoutResult.Measured m -> progress.println("fanout: " + m.label() + " done");
          case FanoutResult.NotRun n ->
              progress.println("fanout: " + n.label() + " not run: " + n.reason());
          case FanoutResult.Failed f ->
              progress.println("fanout: " + f.label() + " FAILED: " + f.reason());
        }
        results.add(result);
      }
    }
    return results;
  }

  private FanoutResult runOne(PushSystem system) throws InterruptedException {
    if (system == PushSystem.SOCKETIO) {
      Optional<String> why = SocketIoPeer.unavailable(settings.nodeDir());
      if (why.isPresent()) {
        return new FanoutResult.NotRun(system, system.displayName(), why.get());
      }
    }
    String label = system.displayName();
    progress.println("fanout: starting " + label);
    try (PushTarget target = system.start(settings)) {
      label = target.label();
      progress.printf("fanout: %s: connecting %,d devices%n", label, settings.connections());
      long connectStart = System.nanoTime();
      try (DeviceFleet fleet =
          DeviceFleet.connect(
              system.key(),
              HOST,
              target.port(),
              target.devices(),
              CHANNEL,
              settings.connections(),
              settings.clientThreads(),
              settings.handshakes(),
              settings.connectTimeout(),
              progress)) {
        double connectSeconds = Math.round((System.nanoTime() - connectStart) / 1e6) / 1e3;
        CpuMeter cpu = new CpuMeter(target.process());
        List<FanoutStats> fanout = new ArrayList<>();
        if (settings.phases().contains(FanoutSettings.Phase.FANOUT)) {
          for (int level = 0; level < settings.fanoutInflight().size(); level++) {
            cpu.awaitQuiet(QUIET_LIMIT, system.key(), progress);
            fanout.add(new FanoutPhase(target, fleet, settings, level, cpu, progress).run());
          }
        }
        Optional<PushStats> push = Optional.empty();
        if (settings.phases().contains(FanoutSettings.Phase.PUSH)) {
          cpu.awaitQuiet(QUIET_LIMIT, system.key(), progress);
          push = Optional.of(new SteadyPushPhase(target, fleet, settings, cpu, progress).run());
        }
        return new FanoutResult.Measured(
            system, label, connectSeconds, fanout, push, fleet.dropped(), fleet.problems());
      }
    } catch (BenchmarkException e) {
      return new FanoutResult.Failed(system, label, e.getMessage());
    } catch (IOException | RuntimeException e) {
      return new FanoutResult.Failed(system, label, e.toString());
    }
  }
}
