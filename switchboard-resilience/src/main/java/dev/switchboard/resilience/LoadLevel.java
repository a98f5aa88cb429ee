package dev.switchboard.resilience;

/**
 * How loaded a {@link LoadShedder} considers itself. At NORMAL every priority is admitted, at
 * ELEVATED LOW is shed, at HIGH only HIGH and CRITICAL get in, at CRITICAL only CRITICAL.
 */
public enum LoadLevel {
  NORMAL,
  ELEVATED,
  HIGH,
  CRITICAL;

  /** True when a call of {@code priority} may run at this level. */
  public boolean admits(CallPriority priority) {
    return priority.ordinal() >= ordinal();
  }
}
