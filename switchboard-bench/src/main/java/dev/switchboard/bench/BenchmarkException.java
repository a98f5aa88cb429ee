package dev.switchboard.bench;

/**
 * A measurement went wrong (a wrong reply, a stall, a child process that died); the message says
 * what.
 */
final class BenchmarkException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  BenchmarkException(String message) {
    super(message);
  }

  BenchmarkException(String message, Throwable cause) {
    super(message, cause);
  }
}
