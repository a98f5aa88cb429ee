package dev.switchboard.gateway;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What one send reached. "Delivered" means handed to the device's outbound queue; a device that
 * later drops it (slow consumer) or disconnects is not counted again.
 *
 * @param deliveredTo devices reached, each counted once
 * @param perUser for {@link Target.User} and {@link Target.Users}: devices reached per user, in
 *     request order
 * @param perChannel for {@link Target.Channel} and {@link Target.Channels}: subscribers reached per
 *     channel, in request order (a device on two of the channels counts in both, but receives the
 *     notification once)
 * @param queued users none of whose devices took it, whose inbox keeps it for their next connection
 *     (the offline queue)
 */
public record Delivery(
    UUID notificationId,
    int deliveredTo,
    Map<String, Integer> perUser,
    Map<String, Integer> perChannel,
    Set<String> queued) {

  public Delivery {
    Objects.requireNonNull(notificationId, "notificationId");
    perUser = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(perUser));
    perChannel = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(perChannel));
    queued = Set.copyOf(queued);
  }

  /** Whether {@code userId}'s inbox keeps the notification for the user's next connection. */
  public boolean queuedFor(String userId) {
    return queued.contains(userId);
  }
}
