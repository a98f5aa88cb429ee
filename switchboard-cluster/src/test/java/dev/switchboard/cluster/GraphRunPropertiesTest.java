package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random acyclic graphs whose commands finish in a random order. */
class GraphRunPropertiesTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** A random DAG: node i depends on some nodes below it; listed in a shuffled request order. */
  record Dag(List<List<Integer>> dependencies, List<Integer> requestOrder, Set<Integer> failing) {

    String name(int node) {
      return "c" + node;
    }

    List<Command> commands() {
      List<Command> commands = new ArrayList<>();
      for (int node : requestOrder) {
        ArrayNode params = NODES.arrayNode();
        for (int d : dependencies.get(node)) {
          // Half whole results, half a path into them; a literal beside them.
          params.add(d % 2 == 0 ? name(d) : name(d) + ".v");
        }
        params.add("lit");
        commands.add(Command.of(name(node), "m", params));
      }
      return commands;
    }

    JsonNode expectedParams(int node) {
      ArrayNode params = NODES.arrayNode();
      for (int d : dependencies.get(node)) {
        params.add(d % 2 == 0 ? result(d) : NODES.numberNode(d));
      }
      params.add("lit");
      return params;
    }

    static JsonNode result(int node) {
      return NODES.objectNode().put("v", node);
    }
  }

  @Provide
  Arbitrary<Dag> dags() {
    return Arbitraries.integers()
        .between(1, 40)
        .flatMap(
            n -> {
              Arbitrary<List<List<Integer>>> deps =
                  Arbitraries.integers().between(0, 9999).list().ofMaxSize(4).list().ofSize(n);
              List<Integer> nodes = new ArrayList<>();
              for (int i = 0; i < n; i++) {
                nodes.add(i);
              }
              Arbitrary<List<Integer>> order = Arbitraries.shuffle(nodes);
              Arbitrary<Set<Integer>> failing =
                  Arbitraries.integers().between(0, n - 1).set().ofMaxSize(Math.max(0, n / 5));
              return net.jqwik.api.Combinators.combine(deps, order, failing)
                  .as(
                      (raw, shuffled, fail) -> {
                        List<List<Integer>> dependencies = new ArrayList<>();
                        for (int i = 0; i < n; i++) {
                          int node = i;
                          dependencies.add(
                              node == 0
                                  ? List.of()
                                  : raw.get(i).stream().map(r -> r % node).distinct().toList());
                        }
                        return new Dag(dependencies, shuffled, fail);
                      });
            });
  }

  @Property(tries = 300)
  void everyCommandRunsOnceNeverBeforeItsDependenciesAndTheOutcomeHasEveryName(
      @ForAll("dags") Dag dag, @ForAll Random random) {
    Dag healthy = new Dag(dag.dependencies(), dag.requestOrder(), Set.of());
    Played played = play(healthy, random);

    assertThat(played.started).hasSize(dag.requestOrder().size()).doesNotHaveDuplicates();
    assertThat(played.outcome.complete()).isTrue();
    assertThat(List.copyOf(played.outcome.results().keySet()))
        .containsExactlyElementsOf(healthy.commands().stream().map(Command::name).toList());
    for (int node : dag.requestOrder()) {
      assertThat(played.params.get(healthy.name(node))).isEqualTo(healthy.expectedParams(node));
      assertThat(played.outcome.results().get(healthy.name(node))).isEqualTo(Dag.result(node));
    }
  }

  @Property(tries = 300)
  void failuresSkipExactlyTheirDependentsAndEveryCommandEndsInOnePlace(
      @ForAll("dags") Dag dag, @ForAll Random random) {
    Played played = play(dag, random);
    GraphOutcome outcome = played.outcome;

    Set<String> expectedSkipped = new HashSet<>();
    Set<String> expectedFailed = new HashSet<>();
    for (int node = 0; node < dag.dependencies().size(); node++) {
      // Nodes are numbered so that dependencies come first.
      boolean blocked =
          dag.dependencies().get(node).stream()
              .anyMatch(
                  d ->
                      expectedSkipped.contains(dag.name(d))
                          || expectedFailed.contains(dag.name(d)));
      if (blocked) {
        expectedSkipped.add(dag.name(node));
      } else if (dag.failing().contains(node)) {
        expectedFailed.add(dag.name(node));
      }
    }
    assertThat(outcome.skipped()).containsExactlyInAnyOrderElementsOf(expectedSkipped);
    assertThat(outcome.failed().keySet()).containsExactlyInAnyOrderElementsOf(expectedFailed);
    assertThat(played.started).doesNotHaveDuplicates();
    assertThat(played.started.stream().filter(expectedSkipped::contains))
        .as("skipped commands that started")
        .isEmpty();
    List<String> all = new ArrayList<>(outcome.results().keySet());
    all.addAll(outcome.failed().keySet());
    all.addAll(outcome.skipped());
    assertThat(all)
        .containsExactlyInAnyOrderElementsOf(dag.commands().stream().map(Command::name).toList());
  }

  private record Played(List<String> started, Map<String, JsonNode> params, GraphOutcome outcome) {}

  /** Runs the DAG, finishing running commands one at a time in a random order. */
  private static Played play(Dag dag, Random random) {
    List<String> started = new ArrayList<>();
    Set<String> finished = new HashSet<>();
    List<String> early = new ArrayList<>();
    Map<String, JsonNode> params = new LinkedHashMap<>();
    Map<String, CompletableFuture<JsonNode>> running = new LinkedHashMap<>();
    CommandRunner runner =
        (command, resolved) -> {
          int node = Integer.parseInt(command.name().substring(1));
          for (int d : dag.dependencies().get(node)) {
            if (!finished.contains(dag.name(d))) {
              early.add(command.name() + " started before " + dag.name(d) + " finished");
            }
          }
          started.add(command.name());
          params.put(command.name(), resolved);
          CompletableFuture<JsonNode> result = new CompletableFuture<>();
          running.put(command.name(), result);
          return CommandRunner.Running.of(result, () -> {});
        };
    GraphRun run =
        GraphRun.start(
            CommandGraph.plan(dag.commands()),
            runner,
            Duration.ofSeconds(1),
            new ManualScheduler());
    while (!running.isEmpty()) {
      List<String> names = List.copyOf(running.keySet());
      String name = names.get(random.nextInt(names.size()));
      CompletableFuture<JsonNode> result = running.remove(name);
      finished.add(name);
      int node = Integer.parseInt(name.substring(1));
      if (dag.failing().contains(node)) {
        result.completeExceptionally(new CommandException(CommandError.of(-1, "failed")));
      } else {
        result.complete(Dag.result(node));
      }
    }
    CompletableFuture<GraphOutcome> outcome = run.outcome().toCompletableFuture();
    assertThat(early).as("commands started before their dependencies").isEmpty();
    assertThat(outcome).as("the outcome, once nothing runs").isDone();
    return new Played(started, params, outcome.join());
  }
}
