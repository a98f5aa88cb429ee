package dev.switchboard.resilience;

/**
 * How important a call is to a {@link LoadShedder}: under load, lower priorities are shed first and
 * higher ones keep headroom reserved for them.
 */
public enum CallPriority {
  LOW,
  NORMAL,
  HIGH,
  CRITICAL
}
