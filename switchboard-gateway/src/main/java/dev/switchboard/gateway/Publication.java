package dev.switchboard.gateway;

import java.util.Objects;
import java.util.UUID;

/**
 * A notification on its way to every node: encoded once, with what each node needs to hand it to
 * its own devices. This, not the {@link Notification} object, is what a {@link Broker} carries
 * between nodes; a shared broker writes these four fields once and every node reads the same bytes
 * back.
 *
 * @param target who it goes to
 * @param notificationId the notification's id, for the {@link Delivery}
 * @param priority decides whether a slow device may lose it
 * @param message the whole JSON-RPC message ({@link Notification#encode()}); shared by every
 *     recipient and never modified
 */
public record Publication(Target target, UUID notificationId, Priority priority, byte[] message) {

  public Publication {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(notificationId, "notificationId");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(message, "message");
  }

  /** {@code notification} for {@code target}, encoded now. */
  public static Publication of(Target target, Notification notification) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(notification, "notification");
    return new Publication(
        target, notification.id(), notification.metadata().priority(), notification.encode());
  }
}
