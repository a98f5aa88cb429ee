package dev.switchboard.resilience;

/** A listener's registration; {@link #close()} removes it (idempotent, never throws). */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
  @Override
  void close();
}
