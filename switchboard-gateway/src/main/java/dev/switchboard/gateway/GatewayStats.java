package dev.switchboard.gateway;

import java.util.Map;

/**
 * Counters of one node since start.
 *
 * @param notificationsByTarget notifications sent through this node ({@link Dispatcher#accept}), by
 *     target kind (user, users, broadcast, channel, channels)
 * @param deliveries notifications handed to the outbound queue of a device of this node
 * @param refused deliveries a device refused (closed, or disconnected as a slow consumer)
 */
public record GatewayStats(Map<String, Long> notificationsByTarget, long deliveries, long refused) {

  public GatewayStats {
    notificationsByTarget = Map.copyOf(notificationsByTarget);
  }

  public long notifications() {
    return notificationsByTarget.values().stream().mapToLong(Long::longValue).sum();
  }
}
