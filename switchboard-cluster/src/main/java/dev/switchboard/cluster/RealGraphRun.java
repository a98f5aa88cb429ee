package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The graph runner. Every field below {@code lock} is guarded by it; the runner's code ({@code
 * start}, {@code cancel}) and the outcome's callbacks are always called without it held.
 */
final class RealGraphRun implements GraphRun {

  private enum State {
    PENDING,
    RUNNING,
    DONE,
    FAILED,
    SKIPPED
  }

  /** A command ready to start, with its resolved params. */
  private record Launch(int index, JsonNode params) {}

  private final CommandGraph graph;
  private final CommandRunner runner;
  private final CompletableFuture<GraphOutcome> outcome = new CompletableFuture<>();

  private final Object lock = new Object();
  private final State[] states;
  private final JsonNode[] results;
  private final CommandError[] errors;
  private final CommandRunner.Running[] handles;
  private final int[] waitingOn;
  private int unfinished;
  private boolean over;
  private Optional<Scheduler.Cancellable> deadline = Optional.empty();

  RealGraphRun(CommandGraph graph, CommandRunner runner) {
    this.graph = graph;
    this.runner = runner;
    int n = graph.size();
    states = new State[n];
    results = new JsonNode[n];
    errors = new CommandError[n];
    handles = new CommandRunner.Running[n];
    waitingOn = new int[n];
    for (int i = 0; i < n; i++) {
      states[i] = State.PENDING;
      waitingOn[i] = graph.dependencies(i).size();
    }
    unfinished = n;
  }

  void begin(Duration timeout, Scheduler scheduler) {
    Scheduler.Cancellable timer =
        scheduler.schedule(
            timeout,
            () ->
                stop(
                    CommandError.DEADLINE_EXCEEDED,
                    "the graph's deadline of " + timeout + " passed"));
    List<Launch> launches = new ArrayList<>();
    boolean ended;
    synchronized (lock) {
      ended = over;
      if (!over) {
        deadline = Optional.of(timer);
        List<Integer> roots = new ArrayList<>();
        for (int i = 0; i < graph.size(); i++) {
          if (waitingOn[i] == 0) {
            roots.add(i);
          }
        }
        prepare(roots, launches);
      }
    }
    if (ended) {
      timer.cancel();
    }
    launch(launches);
  }

  @Override
  public CompletionStage<GraphOutcome> outcome() {
    return outcome.minimalCompletionStage();
  }

  @Override
  public void cancel() {
    stop(CommandError.CANCELLED, "the graph was cancelled");
  }

  private void stop(int code, String message) {
    List<CommandRunner.Running> toCancel = new ArrayList<>();
    GraphOutcome done;
    synchronized (lock) {
      if (over) {
        return;
      }
      for (int i = 0; i < states.length; i++) {
        if (states[i] == State.RUNNING) {
          if (handles[i] != null) {
            toCancel.add(handles[i]);
          }
          // A command marked running whose start has not returned yet is cancelled by launch().
          finish(i, State.FAILED);
          errors[i] = CommandError.of(code, message);
        } else if (states[i] == State.PENDING) {
          finish(i, State.SKIPPED);
        }
      }
      done = end();
    }
    for (CommandRunner.Running running : toCancel) {
      cancelQuietly(running);
    }
    complete(done);
  }

  private void onResult(int index, JsonNode result, Throwable failure) {
    List<Launch> launches = new ArrayList<>();
    GraphOutcome done = null;
    synchronized (lock) {
      if (over || states[index] != State.RUNNING) {
        return;
      }
      handles[index] = null;
      if (failure == null) {
        results[index] = result == null ? NullNode.instance : result;
        finish(index, State.DONE);
        List<Integer> ready = new ArrayList<>();
        for (int d : graph.dependents(index)) {
          if (--waitingOn[d] == 0 && states[d] == State.PENDING) {
            ready.add(d);
          }
        }
        prepare(ready, launches);
      } else {
        fail(index, errorOf(failure));
      }
      if (unfinished == 0) {
        done = end();
      }
    }
    launch(launches);
    if (done != null) {
      complete(done);
    }
  }

  /** Under the lock: resolves the ready commands' params and marks them running. */
  private void prepare(List<Integer> ready, List<Launch> launches) {
    for (int i : ready) {
      try {
        JsonNode params =
            Substitution.resolve(
                graph.commands().get(i).paramsTree(),
                graph.names(),
                name -> results[graph.indexOf(name)]);
        states[i] = State.RUNNING;
        launches.add(new Launch(i, params));
      } catch (Substitution.PathNotFound e) {
        fail(i, CommandError.of(CommandError.PATH_NOT_FOUND, e.getMessage()));
      }
    }
  }

  /** Without the lock: starts each command and watches its result. */
  private void launch(List<Launch> launches) {
    for (Launch l : launches) {
      CommandRunner.Running running;
      try {
        running = runner.start(graph.commands().get(l.index()), l.params());
        if (running == null) {
          throw new IllegalStateException("the runner returned no running command");
        }
      } catch (RuntimeException e) {
        onResult(
            l.index(),
            null,
            new CommandException(
                CommandError.of(
                    CommandError.INTERNAL_ERROR,
                    "the command could not start: " + e.getMessage())));
        continue;
      }
      boolean stopped;
      synchronized (lock) {
        stopped = over;
        if (!stopped) {
          handles[l.index()] = running;
        }
      }
      if (stopped) {
        cancelQuietly(running);
      } else {
        running.result().whenComplete((result, failure) -> onResult(l.index(), result, failure));
      }
    }
  }

  /** Under the lock: the command failed; everything depending on it is skipped. */
  private void fail(int index, CommandError error) {
    errors[index] = error;
    finish(index, State.FAILED);
    Deque<Integer> todo = new ArrayDeque<>(graph.dependents(index));
    while (!todo.isEmpty()) {
      int d = todo.pop();
      if (states[d] == State.PENDING) {
        finish(d, State.SKIPPED);
        todo.addAll(graph.dependents(d));
      }
    }
  }

  private void finish(int index, State state) {
    states[index] = state;
    unfinished--;
  }

  /** Under the lock: the run is over; what it came to. */
  private GraphOutcome end() {
    over = true;
    LinkedHashMap<String, JsonNode> done = new LinkedHashMap<>();
    LinkedHashMap<String, CommandError> failed = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    for (int i = 0; i < states.length; i++) {
      String name = graph.commands().get(i).name();
      switch (states[i]) {
        case DONE -> done.put(name, results[i]);
        case FAILED -> failed.put(name, errors[i]);
        case SKIPPED -> skipped.add(name);
        case PENDING, RUNNING ->
            throw new IllegalStateException(name + " is unfinished at the end");
      }
    }
    return GraphOutcome.of(done, failed, skipped);
  }

  private void complete(GraphOutcome done) {
    Optional<Scheduler.Cancellable> timer;
    synchronized (lock) {
      timer = deadline;
    }
    timer.ifPresent(Scheduler.Cancellable::cancel);
    outcome.complete(done);
  }

  private static CommandError errorOf(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof CommandException e) {
      return e.error();
    }
    if (cause instanceof CancellationException) {
      return CommandError.of(CommandError.CANCELLED, "the command was cancelled");
    }
    String message = cause.getMessage();
    return CommandError.of(
        CommandError.APPLICATION_ERROR,
        message == null ? cause.getClass().getSimpleName() : message);
  }

  private static void cancelQuietly(CommandRunner.Running running) {
    try {
      running.cancel();
    } catch (RuntimeException e) {
      // The run is over either way; a runner that cannot cancel must not stop the others'.
    }
  }
}
