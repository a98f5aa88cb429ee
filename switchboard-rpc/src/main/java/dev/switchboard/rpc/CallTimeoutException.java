package dev.switchboard.rpc;

import java.time.Duration;

/**
 * The caller stopped waiting: the call's timeout passed. The callee was told with {@code
 * rpc.cancel}.
 */
public final class CallTimeoutException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public CallTimeoutException(String method, Duration timeout) {
    super("call to '" + method + "' timed out after " + timeout.toMillis() + " ms");
  }
}
