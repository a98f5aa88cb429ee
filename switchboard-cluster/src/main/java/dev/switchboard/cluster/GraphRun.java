package dev.switchboard.cluster;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * One run of a {@link CommandGraph}: each command starts, through the {@link CommandRunner}, as
 * soon as every command it refers to has finished, so independent commands run in parallel.
 *
 * <p>A command that fails (or whose params refer to a path its dependency's result lacks) makes
 * every command depending on it, directly or not, skipped; the others go on. The run has one
 * deadline: when it passes, or on {@link #cancel()}, every running command is {@linkplain
 * CommandRunner.Running#cancel() cancelled} and fails ({@link CommandError#DEADLINE_EXCEEDED},
 * {@link CommandError#CANCELLED}), every command not started is skipped, and the outcome completes
 * at once, whatever the cancelled commands do later. A command whose {@link CommandRunner#start}
 * was under way on another thread at that moment is cancelled as soon as its start returns.
 *
 * <p>Thread-safe: results may complete on any thread; no command starts twice; the outcome
 * completes exactly once.
 */
public interface GraphRun {

  /**
   * Starts running {@code graph}: the commands without dependencies start before this returns (on
   * the caller's thread).
   *
   * @param graph the plan
   * @param runner starts each command
   * @param timeout the deadline of the whole graph, from now; positive
   * @param scheduler fires the deadline
   * @return the run
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  static GraphRun start(
      CommandGraph graph, CommandRunner runner, Duration timeout, Scheduler scheduler) {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(runner, "runner");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(scheduler, "scheduler");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    RealGraphRun run = new RealGraphRun(graph, runner);
    run.begin(timeout, scheduler);
    return run;
  }

  /** Completes, once, when every command has finished, failed or been skipped; never fails. */
  CompletionStage<GraphOutcome> outcome();

  /**
   * Cancels the run: as its deadline passing, but running commands fail with {@link
   * CommandError#CANCELLED}. Does nothing once the outcome is complete.
   */
  void cancel();
}
