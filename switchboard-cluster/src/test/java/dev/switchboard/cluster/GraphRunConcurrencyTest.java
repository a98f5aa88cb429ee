package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Results completing on many threads at once, and a deadline on a real scheduler. */
class GraphRunConcurrencyTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final long WAIT_SECONDS = 10;

  private final ExecutorService workers = Executors.newFixedThreadPool(8);
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stopThreads() throws InterruptedException {
    workers.shutdownNow();
    timers.shutdownNow();
    assertThat(workers.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(timers.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  /** 256 commands, each depending on up to three earlier ones. */
  private static CommandGraph wideGraph() {
    List<Command> commands = new ArrayList<>();
    for (int i = 0; i < CommandGraph.MAX_COMMANDS; i++) {
      ArrayNode params = NODES.arrayNode();
      for (int k = 1; k <= 3 && i >= k * 7; k++) {
        params.add("c" + (i - k * 7));
      }
      commands.add(Command.of("c" + i, "m", params));
    }
    return CommandGraph.plan(commands);
  }

  @RepeatedTest(20)
  void resultsCompletingOnManyThreadsStartEachCommandOnceAndCompleteTheOutcomeOnce()
      throws Exception {
    Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
    CommandRunner onWorkers =
        (command, params) -> {
          starts.computeIfAbsent(command.name(), n -> new AtomicInteger()).incrementAndGet();
          CompletableFuture<JsonNode> result =
              CompletableFuture.supplyAsync(() -> NODES.numberNode(params.size()), workers);
          return CommandRunner.Running.of(result, () -> result.cancel(false));
        };

    GraphRun run =
        GraphRun.start(
            wideGraph(), onWorkers, Duration.ofSeconds(WAIT_SECONDS * 3), Scheduler.of(timers));

    GraphOutcome outcome = run.outcome().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(outcome.complete()).isTrue();
    assertThat(outcome.results()).hasSize(CommandGraph.MAX_COMMANDS);
    assertThat(starts).hasSize(CommandGraph.MAX_COMMANDS);
    assertThat(starts.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
  }

  @RepeatedTest(20)
  void aCancelRacingCompletionsEndsTheRunOnceWithEveryCommandAccountedFor() throws Exception {
    Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
    CommandRunner onWorkers =
        (command, params) -> {
          starts.computeIfAbsent(command.name(), n -> new AtomicInteger()).incrementAndGet();
          CompletableFuture<JsonNode> result = new CompletableFuture<>();
          workers.execute(() -> result.complete(NODES.numberNode(1)));
          return CommandRunner.Running.of(result, () -> result.cancel(false));
        };
    GraphRun run =
        GraphRun.start(
            wideGraph(), onWorkers, Duration.ofSeconds(WAIT_SECONDS * 3), Scheduler.of(timers));
    CompletableFuture<Void> canceller =
        CompletableFuture.runAsync(
            () -> {
              for (int i = ThreadLocalRandom.current().nextInt(2000); i > 0; i--) {
                Thread.onSpinWait();
              }
              run.cancel();
            },
            workers);

    GraphOutcome outcome = run.outcome().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    canceller.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(outcome.results().size() + outcome.failed().size() + outcome.skipped().size())
        .isEqualTo(CommandGraph.MAX_COMMANDS);
    // A start under way when the cancel came may still be counting (it is cancelled once it
    // returns): at most once, then.
    assertThat(starts.values()).allSatisfy(n -> assertThat(n.get()).isLessThanOrEqualTo(1));
    // The cancel may come after the last result: then nothing failed.
    assertThat(outcome.failed().values())
        .allSatisfy(e -> assertThat(e.code()).isEqualTo(CommandError.CANCELLED));
  }

  @Test
  void theDeadlineOnARealSchedulerEndsAGraphWhoseCommandsNeverFinish() throws Exception {
    List<String> cancelled = new java.util.concurrent.CopyOnWriteArrayList<>();
    CommandRunner never =
        (command, params) ->
            CommandRunner.Running.of(
                new CompletableFuture<>(), () -> cancelled.add(command.name()));

    GraphRun run =
        GraphRun.start(
            CommandGraph.plan(
                List.of(Command.of("a", "m"), Command.of("b", "m", NODES.arrayNode().add("a")))),
            never,
            Duration.ofMillis(20),
            Scheduler.of(timers));

    GraphOutcome outcome = run.outcome().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(cancelled).containsExactly("a");
    assertThat(outcome.failed().get("a").code()).isEqualTo(CommandError.DEADLINE_EXCEEDED);
    assertThat(outcome.skipped()).containsExactly("b");
  }
}
