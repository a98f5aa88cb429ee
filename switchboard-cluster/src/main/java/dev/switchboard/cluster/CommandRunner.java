package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Starts one command of a graph: in the cluster, the router sending it to a provider.
 *
 * <p>{@link #start} must not block: it is called on the thread of whatever finished last (the
 * caller's for the first commands, a dependency's completion thread for the others). It is called
 * at most once per command of a run.
 */
@FunctionalInterface
public interface CommandRunner {

  /**
   * Starts {@code command}.
   *
   * @param command the command, as planned
   * @param resolvedParams its params with every reference replaced by the result it names; the
   *     runner's own copy
   * @return the running command; never null
   */
  Running start(Command command, JsonNode resolvedParams);

  /** A command that has started. */
  interface Running {

    /**
     * Completes with the command's result, or exceptionally: with a {@link CommandException} for a
     * JSON-RPC error, any other exception counting as an application error. May complete on any
     * thread.
     */
    CompletionStage<JsonNode> result();

    /**
     * Asks the command to stop: the graph no longer wants its result (its deadline passed or it was
     * cancelled). Must not block; may be called after the result completed.
     */
    void cancel();

    /** A running command made of its result and what cancels it. */
    static Running of(CompletionStage<JsonNode> result, Runnable cancel) {
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(cancel, "cancel");
      return new Running() {
        @Override
        public CompletionStage<JsonNode> result() {
          return result;
        }

        @Override
        public void cancel() {
          cancel.run();
        }
      };
    }
  }
}
