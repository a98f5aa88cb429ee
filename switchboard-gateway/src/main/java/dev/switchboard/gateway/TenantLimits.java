package dev.switchboard.gateway;

import java.util.OptionalInt;

/**
 * One tenant's own connection limits, each overriding the server's when set: {@code maxConnections}
 * caps the tenant's devices together (the server's {@code max_connections} still caps every
 * tenant's together), {@code maxConnectionsPerUser} replaces the server's {@code
 * max_connections_per_user} for the tenant's users (higher or lower).
 */
public record TenantLimits(OptionalInt maxConnections, OptionalInt maxConnectionsPerUser) {

  /** No limit of its own: the server's apply. */
  public static final TenantLimits NONE =
      new TenantLimits(OptionalInt.empty(), OptionalInt.empty());

  /**
   * @throws IllegalArgumentException when a limit is set below 1
   */
  public TenantLimits {
    check("max_connections", maxConnections);
    check("max_connections_per_user", maxConnectionsPerUser);
  }

  public TenantLimits withMaxConnections(int value) {
    return new TenantLimits(OptionalInt.of(value), maxConnectionsPerUser);
  }

  public TenantLimits withMaxConnectionsPerUser(int value) {
    return new TenantLimits(maxConnections, OptionalInt.of(value));
  }

  private static void check(String name, OptionalInt value) {
    if (value.isPresent() && value.getAsInt() < 1) {
      throw new IllegalArgumentException(
          "a tenant's " + name + " must be at least 1, got " + value.getAsInt());
    }
  }
}
