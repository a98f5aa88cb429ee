package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A runner whose commands finish only when the test says so: it records what started, in order,
 * with the params it was given, and which commands were cancelled. Thread-safe.
 */
final class ManualRunner implements CommandRunner {

  private final List<String> started = new ArrayList<>();
  private final Map<String, JsonNode> params = new LinkedHashMap<>();
  private final Map<String, CompletableFuture<JsonNode>> results = new LinkedHashMap<>();
  private final Set<String> cancelled = new LinkedHashSet<>();

  @Override
  public synchronized Running start(Command command, JsonNode resolvedParams) {
    String name = command.name();
    started.add(name);
    params.put(name, resolvedParams);
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    results.put(name, result);
    return Running.of(result, () -> cancelled(name));
  }

  private synchronized void cancelled(String name) {
    cancelled.add(name);
  }

  /** The names of the commands started so far, in the order they started. */
  synchronized List<String> started() {
    return List.copyOf(started);
  }

  /** The commands started and not yet finished, in the order they started. */
  synchronized List<String> running() {
    return started.stream().filter(n -> !results.get(n).isDone()).toList();
  }

  /** The resolved params a command started with. */
  synchronized JsonNode paramsOf(String name) {
    JsonNode p = params.get(name);
    if (p == null) {
      throw new AssertionError(name + " never started; started: " + started);
    }
    return p;
  }

  synchronized Set<String> cancelled() {
    return Set.copyOf(cancelled);
  }

  /** Finishes a started command with this result. */
  void complete(String name, JsonNode result) {
    future(name).complete(result);
  }

  /** Fails a started command with this error. */
  void fail(String name, CommandError error) {
    future(name).completeExceptionally(new CommandException(error));
  }

  private synchronized CompletableFuture<JsonNode> future(String name) {
    CompletableFuture<JsonNode> f = results.get(name);
    if (f == null) {
      throw new AssertionError(name + " never started; started: " + started);
    }
    return f;
  }
}
