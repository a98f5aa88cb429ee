package dev.switchboard.gateway;

/**
 * A registry limit would be passed; nothing was changed. The message names the limit and its value.
 */
public final class LimitExceededException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Which limit. */
  public enum Limit {
    CONNECTIONS,
    CONNECTIONS_PER_USER,
    /** A tenant's own {@code max_connections} ({@link TenantLimits}). */
    TENANT_CONNECTIONS,
    SUBSCRIPTIONS_PER_CONNECTION
  }

  private final Limit limit;

  LimitExceededException(Limit limit, String message) {
    super(message);
    this.limit = limit;
  }

  public Limit limit() {
    return limit;
  }
}
