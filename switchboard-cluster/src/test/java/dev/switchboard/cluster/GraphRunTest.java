package dev.switchboard.cluster;

import static dev.switchboard.cluster.TestJson.cmd;
import static dev.switchboard.cluster.TestJson.cmds;
import static dev.switchboard.cluster.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** How a {@link GraphRun} runs a planned graph, with commands finished by hand. */
class GraphRunTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final ManualRunner runner = new ManualRunner();
  private final ManualScheduler scheduler = new ManualScheduler();

  private GraphRun run(Command... commands) {
    return GraphRun.start(CommandGraph.plan(cmds(commands)), runner, TIMEOUT, scheduler);
  }

  private static GraphOutcome outcomeOf(GraphRun run) {
    CompletableFuture<GraphOutcome> outcome = run.outcome().toCompletableFuture();
    assertThat(outcome).as("the outcome").isDone();
    return outcome.join();
  }

  private static void assertRunning(GraphRun run) {
    assertThat(run.outcome().toCompletableFuture()).as("the outcome").isNotDone();
  }

  @Test
  void independentCommandsAllStartAtOnce() {
    GraphRun run = run(cmd("a", "[]"), cmd("b", "[]"), cmd("c", "[]"));
    assertThat(runner.started()).containsExactly("a", "b", "c");
    assertRunning(run);
  }

  @Test
  void aDependentStartsOnlyOnceAllItsDependenciesHaveFinished() {
    GraphRun run = run(cmd("a", "[]"), cmd("b", "[]"), cmd("sum", "['a', 'b']"));
    assertThat(runner.started()).containsExactly("a", "b");

    runner.complete("b", json("2"));
    assertThat(runner.started()).containsExactly("a", "b");

    runner.complete("a", json("1"));
    assertThat(runner.started()).containsExactly("a", "b", "sum");
    assertThat(runner.paramsOf("sum")).isEqualTo(json("[1, 2]"));
    assertRunning(run);
  }

  @Test
  void theOutcomeHasEveryCommandsResultInRequestOrder() {
    GraphRun run = run(cmd("late", "['early']"), cmd("early", "[]"), cmd("solo", "[]"));
    runner.complete("solo", json("'s'"));
    runner.complete("early", json("{'e': 1}"));
    runner.complete("late", json("[true]"));

    GraphOutcome outcome = outcomeOf(run);
    assertThat(outcome.complete()).isTrue();
    assertThat(outcome.results()).containsOnlyKeys("late", "early", "solo");
    assertThat(outcome.results().keySet()).containsExactly("late", "early", "solo");
    assertThat(outcome.resultsJson())
        .isEqualTo(json("{'late': [true], 'early': {'e': 1}, 'solo': 's'}"));
    assertThat(outcome.failed()).isEmpty();
    assertThat(outcome.skipped()).isEmpty();
    assertThat(scheduler.pending()).as("the deadline, cancelled").isZero();
  }

  @Test
  void aResultEqualToACommandsNameIsSubstitutedOnceAndStaysAsItIs() {
    run(cmd("a", "[]"), cmd("b", "[]"), cmd("c", "['a', 'b']"));
    runner.complete("a", json("'b'"));
    runner.complete("b", json("'a.x'"));
    assertThat(runner.paramsOf("c")).isEqualTo(json("['b', 'a.x']"));
  }

  @Test
  void referencesAnywhereInTheParamsValuesAreReplacedAndKeysAndLiteralsKept() {
    run(
        cmd("prep", "[]"),
        cmd("use", "{'prep': 'prep', 'deep': [{'x': ['prep.total']}], 'lit': 'prepared', 'n': 3}"));
    runner.complete("prep", json("{'total': 7}"));
    assertThat(runner.paramsOf("use"))
        .isEqualTo(json("{'prep': {'total': 7}, 'deep': [{'x': [7]}], 'lit': 'prepared', 'n': 3}"));
  }

  @Test
  void aPathFollowsObjectFieldsAndArrayIndexes() {
    run(cmd("rows", "[]"), cmd("first", "{'id': 'rows.0.id', 'tag': 'rows.1.tags.1'}"));
    runner.complete("rows", json("[{'id': 'r1'}, {'id': 'r2', 'tags': ['x', 'y']}]"));
    assertThat(runner.paramsOf("first")).isEqualTo(json("{'id': 'r1', 'tag': 'y'}"));
  }

  @Test
  void theProviderGetsItsOwnCopyOfAResult() {
    run(cmd("a", "[]"), cmd("b", "['a']"), cmd("c", "['a']"));
    runner.complete("a", json("{'k': 1}"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) runner.paramsOf("b").get(0)).put("k", 2);
    assertThat(runner.paramsOf("c")).isEqualTo(json("[{'k': 1}]"));
  }

  @Test
  void anUnresolvablePathFailsThatCommandAndSkipsItsDependentsWhileOthersFinish() {
    GraphRun run =
        run(
            cmd("prep", "[]"),
            cmd("use", "['prep.total']"),
            cmd("after", "['use']"),
            cmd("other", "[]"));
    runner.complete("prep", json("{'count': 1}"));
    assertThat(runner.started()).containsExactly("prep", "other");
    assertRunning(run);

    runner.complete("other", json("'fine'"));
    GraphOutcome outcome = outcomeOf(run);
    assertThat(outcome.complete()).isFalse();
    assertThat(outcome.results()).containsOnlyKeys("prep", "other");
    assertThat(outcome.failed()).containsOnlyKeys("use");
    assertThat(outcome.failed().get("use"))
        .isEqualTo(
            CommandError.of(
                CommandError.PATH_NOT_FOUND, "prep.total: prep's result has no field \"total\""));
    assertThat(outcome.skipped()).containsExactly("after");
  }

  @Test
  void aPathSaysWhichStepDidNotResolve() {
    GraphRun run =
        run(
            cmd("rows", "[]"),
            cmd("a", "['rows.5']"),
            cmd("b", "['rows.0.id.x']"),
            cmd("c", "['rows.x']"),
            cmd("d", "['rows.0.missing']"),
            cmd("e", "['rows.01']"));
    runner.complete("rows", json("[{'id': 3}]"));

    GraphOutcome outcome = outcomeOf(run);
    assertThat(runner.started()).containsExactly("rows");
    assertThat(outcome.failed().values())
        .extracting(CommandError::message)
        .containsExactly(
            "rows.5: rows's result has no element \"5\" (an array of 1)",
            "rows.0.id.x: rows.0.id is number, not an object or an array, so it has no \"x\"",
            "rows.x: rows's result has no element \"x\" (an array of 1)",
            "rows.0.missing: rows.0 has no field \"missing\"",
            "rows.01: rows's result has no element \"01\" (an array of 1)");
    assertThat(outcome.failed().values())
        .extracting(CommandError::code)
        .containsOnly(CommandError.PATH_NOT_FOUND);
  }

  @Test
  void aFailingCommandSkipsEveryDependentDirectOrNotAndIndependentOnesFinish() {
    GraphRun run =
        run(
            cmd("a", "[]"),
            cmd("b", "['a']"),
            cmd("c", "['b']"),
            cmd("d", "[]"),
            cmd("e", "['d', 'c']"));
    runner.fail("a", CommandError.of(-1, "no such row"));
    assertThat(runner.started()).containsExactly("a", "d");
    assertRunning(run);

    runner.complete("d", json("4"));
    GraphOutcome outcome = outcomeOf(run);
    assertThat(runner.started()).containsExactly("a", "d");
    assertThat(outcome.results()).containsOnlyKeys("d");
    assertThat(outcome.failed()).containsExactly(entry("a", CommandError.of(-1, "no such row")));
    assertThat(outcome.skipped()).containsExactly("b", "c", "e");
    assertThat(outcome.errorData())
        .isEqualTo(
            json(
                "{'failed': {'a': {'code': -1, 'message': 'no such row'}},"
                    + " 'skipped': ['b', 'c', 'e'], 'results': {'d': 4}}"));
  }

  @Test
  void anExceptionOtherThanACommandsErrorIsAnApplicationError() {
    GraphRun run =
        GraphRun.start(
            CommandGraph.plan(cmds(cmd("a", "[]"))),
            (command, params) ->
                CommandRunner.Running.of(
                    CompletableFuture.failedFuture(new IllegalStateException("disk full")),
                    () -> {}),
            TIMEOUT,
            scheduler);
    assertThat(outcomeOf(run).failed())
        .containsExactly(entry("a", CommandError.of(CommandError.APPLICATION_ERROR, "disk full")));
  }

  @Test
  void aRunnerThatThrowsFailsThatCommandOnly() {
    GraphRun run =
        GraphRun.start(
            CommandGraph.plan(cmds(cmd("bad", "[]"), cmd("good", "[]"))),
            (command, params) -> {
              if (command.name().equals("bad")) {
                throw new IllegalStateException("no route");
              }
              return CommandRunner.Running.of(
                  CompletableFuture.completedFuture(json("1")), () -> {});
            },
            TIMEOUT,
            scheduler);
    GraphOutcome outcome = outcomeOf(run);
    assertThat(outcome.results()).containsOnlyKeys("good");
    assertThat(outcome.failed().get("bad").code()).isEqualTo(CommandError.INTERNAL_ERROR);
    assertThat(outcome.failed().get("bad").message()).contains("no route");
  }

  @Test
  void commandsThatFinishAtOnceRunTheWholeGraphBeforeStartReturns() {
    GraphRun run =
        GraphRun.start(
            CommandGraph.plan(cmds(cmd("a", "[]"), cmd("b", "['a']"), cmd("c", "['b.v']"))),
            (command, params) ->
                CommandRunner.Running.of(
                    CompletableFuture.completedFuture(
                        json("{'v': '" + command.name() + "', 'p': " + params + "}")),
                    () -> {}),
            TIMEOUT,
            scheduler);
    assertThat(outcomeOf(run).resultsJson().get("c")).isEqualTo(json("{'v': 'c', 'p': ['b']}"));
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void theDeadlineCancelsRunningCommandsAndSkipsTheOthers() {
    GraphRun run =
        run(
            cmd("fast", "[]"),
            cmd("slow", "[]"),
            cmd("next", "['slow']"),
            cmd("after", "['fast']"));
    assertThat(scheduler.delays()).containsExactly(TIMEOUT);
    runner.complete("fast", json("1"));
    assertThat(runner.started()).containsExactly("fast", "slow", "after");

    scheduler.fire();

    GraphOutcome outcome = outcomeOf(run);
    assertThat(runner.cancelled()).containsExactlyInAnyOrder("slow", "after");
    assertThat(outcome.results()).containsOnlyKeys("fast");
    assertThat(outcome.failed()).containsOnlyKeys("slow", "after");
    assertThat(outcome.failed().values())
        .extracting(CommandError::code)
        .containsOnly(CommandError.DEADLINE_EXCEEDED);
    assertThat(outcome.skipped()).containsExactly("next");
  }

  @Test
  void theCallersCancelCancelsRunningCommandsAndSkipsTheOthers() {
    GraphRun run = run(cmd("a", "[]"), cmd("b", "['a']"));
    run.cancel();

    GraphOutcome outcome = outcomeOf(run);
    assertThat(runner.cancelled()).containsExactly("a");
    assertThat(outcome.failed().get("a").code()).isEqualTo(CommandError.CANCELLED);
    assertThat(outcome.skipped()).containsExactly("b");
    assertThat(scheduler.pending()).as("the deadline, cancelled").isZero();
  }

  @Test
  void aResultArrivingAfterTheEndChangesNothingAndStartsNothing() {
    GraphRun run = run(cmd("a", "[]"), cmd("b", "['a']"));
    run.cancel();
    GraphOutcome outcome = outcomeOf(run);

    runner.complete("a", json("1"));
    run.cancel();
    scheduler.fire();

    assertThat(runner.started()).containsExactly("a");
    assertThat(outcomeOf(run)).isSameAs(outcome);
    assertThat(outcome.results()).isEmpty();
  }

  @Test
  void aCommandWhoseStartIsStillUnderWayWhenTheRunEndsIsCancelledOnceItHasStarted() {
    AtomicReference<GraphRun> self = new AtomicReference<>();
    CompletableFuture<JsonNode> aResult = new CompletableFuture<>();
    List<String> cancelled = new CopyOnWriteArrayList<>();
    CommandRunner cancelsWhileStartingB =
        (command, params) -> {
          if (command.name().equals("b")) {
            self.get().cancel();
          }
          return CommandRunner.Running.of(
              command.name().equals("a") ? aResult : new CompletableFuture<>(),
              () -> cancelled.add(command.name()));
        };
    GraphRun run =
        GraphRun.start(
            CommandGraph.plan(cmds(cmd("a", "[]"), cmd("b", "['a']"))),
            cancelsWhileStartingB,
            TIMEOUT,
            scheduler);
    self.set(run);

    aResult.complete(json("1"));

    assertThat(cancelled).containsExactly("b");
    assertThat(outcomeOf(run).failed().get("b").code()).isEqualTo(CommandError.CANCELLED);
    assertThat(outcomeOf(run).results()).containsOnlyKeys("a");
  }

  @Test
  void aTimeoutMustBePositive() {
    CommandGraph graph = CommandGraph.plan(cmds(cmd("a", "[]")));
    assertThatThrownBy(() -> GraphRun.start(graph, runner, Duration.ZERO, scheduler))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout must be positive");
    assertThat(runner.started()).isEmpty();
  }

  private static <V> java.util.Map.Entry<String, V> entry(String key, V value) {
    return java.util.Map.entry(key, value);
  }
}
