package dev.switchboard.gateway;

/**
 * How many devices the {@link Registry} takes.
 *
 * @param maxConnections devices connected at once (default 10,000)
 * @param maxConnectionsPerUser devices of one user at once (default 5)
 * @param maxSubscriptionsPerConnection channels one device may subscribe to (default 50)
 */
public record RegistryLimits(
    int maxConnections, int maxConnectionsPerUser, int maxSubscriptionsPerConnection) {

  public static final RegistryLimits DEFAULTS = new RegistryLimits(10_000, 5, 50);

  public RegistryLimits {
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "max_connections must be at least 1, got " + maxConnections);
    }
    if (maxConnectionsPerUser < 1) {
      throw new IllegalArgumentException(
          "max_connections_per_user must be at least 1, got " + maxConnectionsPerUser);
    }
    if (maxSubscriptionsPerConnection < 0) {
      throw new IllegalArgumentException(
          "max_subscriptions_per_connection must not be negative, got "
              + maxSubscriptionsPerConnection);
    }
  }
}
