package dev.switchboard.rpc;

/**
 * A method implemented as a lambda. Runs on a virtual thread and may block. Return a value, a
 * {@code CompletionStage}, or {@code null}; throw {@link RpcException} to answer with a chosen
 * error, anything else to answer with an application error (-32000) carrying the exception's
 * message.
 */
@FunctionalInterface
public interface RpcHandler {
  Object handle(RpcCall call) throws Exception;
}
