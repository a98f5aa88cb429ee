/**
 * Resilience patterns for blocking and {@link java.util.concurrent.CompletionStage} calls: circuit
 * breaker, retry, timeout and deadline, fallback, bulkhead, rate limiters, load shedding,
 * backpressure and adaptive concurrency, each publishing typed events. No runtime dependency but
 * SLF4J's API.
 */
module dev.switchboard.resilience {
  requires org.slf4j;
  requires java.management;

  exports dev.switchboard.resilience;
}
