package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A function served in-process on a node: it runs on a virtual thread and may block.
 *
 * <p>Return the result (any value Jackson turns into JSON, a {@link JsonNode} as it is, or a {@code
 * CompletionStage} of one). Throw {@code RpcException} to answer with a chosen JSON-RPC error;
 * anything else is an application error (-32000) carrying the exception's message. When the graph
 * no longer wants the result (its deadline, the caller's cancel) the thread is interrupted.
 */
@FunctionalInterface
public interface ClusterFunction {

  /**
   * Runs the function.
   *
   * @param params the command's params, references replaced by the results they name: an array or
   *     an object
   */
  Object apply(JsonNode params) throws Exception;
}
