package dev.switchboard.bench;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What one system of the fan-out benchmark gave: numbers, or why there are none. */
sealed interface FanoutResult
    permits FanoutResult.Measured, FanoutResult.NotRun, FanoutResult.Failed {

  PushSystem system();

  /** The row label, for example "Socket.IO 4.8.4 (node v20.20.2)". */
  String label();

  /**
   * The measurements of a system that ran to the end; a phase left out with {@code --phases} is
   * empty.
   *
   * @param fanout one result per fan-out level, in the order of {@code --fanout-inflight}
   * @param connectSeconds how long the devices took to connect and subscribe
   * @param dropped devices whose connection the server closed after they were ready
   * @param problems the first few things that went wrong with devices, if any
   */
  record Measured(
      PushSystem system,
      String label,
      double connectSeconds,
      List<FanoutStats> fanout,
      Optional<PushStats> push,
      int dropped,
      List<String> problems)
      implements FanoutResult {
    public Measured {
      fanout = List.copyOf(fanout);
      Objects.requireNonNull(push, "push");
      problems = List.copyOf(problems);
    }

    /** The fan-out level with {@code inflight} messages in flight, if it ran. */
    Optional<FanoutStats> fanoutAt(int inflight) {
      return fanout.stream().filter(f -> f.inflight() == inflight).findFirst();
    }
  }

  /**
   * The system could not be run here (for example node is missing); not an error of the benchmark.
   */
  record NotRun(PushSystem system, String label, String reason) implements FanoutResult {}

  /**
   * The system started but the measurement failed: devices that could not connect, a stall, a
   * crash.
   */
  record Failed(PushSystem system, String label, String reason) implements FanoutResult {}
}
