package dev.switchboard.rpc;

/**
 * Too many of our calls are awaiting an answer on this connection ({@link
 * RpcConfig#maxPendingCalls()}).
 */
public final class PendingCallsLimitException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public PendingCallsLimitException(int limit) {
    super(
        "too many pending calls on this connection: the limit is "
            + limit
            + " (RpcConfig.maxPendingCalls); wait for answers before calling again");
  }
}
