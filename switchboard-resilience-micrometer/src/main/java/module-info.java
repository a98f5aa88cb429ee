/**
 * Optional Micrometer binder for {@code dev.switchboard.resilience}: gauges, counters and timers
 * for the instances of a {@link dev.switchboard.resilience.ResilienceRegistry} (those created later
 * too) or for single instances.
 */
module dev.switchboard.resilience.micrometer {
  requires transitive dev.switchboard.resilience;
  requires transitive micrometer.core;

  exports dev.switchboard.resilience.micrometer;
}
