package dev.switchboard.gateway;

import java.util.Map;
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
 * @param positions where each stream the publication went into (channels, user inboxes) put it
 */
public record Publication(
    Target target,
    UUID notificationId,
    Priority priority,
    byte[] message,
    Map<StreamId, Position> positions) {

  public Publication {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(notificationId, "notificationId");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(message, "message");
    positions = Map.copyOf(positions);
  }

  /** {@code notification} for {@code target}, encoded now, in no stream yet. */
  public static Publication of(Target target, Notification notification) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(notification, "notification");
    return new Publication(
        target,
        notification.id(),
        notification.metadata().priority(),
        notification.encode(),
        Map.of());
  }

  /** This publication with the positions its streams gave it. */
  public Publication in(Map<StreamId, Position> streams) {
    return new Publication(target, notificationId, priority, message, streams);
  }

  /** {@code message} at the position of {@code user}'s inbox, when this publication has one. */
  Outgoing at(Outgoing message, Target.User user) {
    Position p = positions.get(new StreamId.Inbox(user.userId()));
    return p == null ? message : message.at(p);
  }

  /** The message for {@code channel}'s subscribers: stamped with its position when known. */
  Outgoing stamped(String channel) {
    Position p = positions.get(new StreamId.Channel(channel));
    return p == null
        ? Outgoing.notification(message, priority)
        : Outgoing.notification(
            Notification.stamp(message, Tenant.channelName(channel), p.offset(), p.epoch()),
            priority,
            p);
  }
}
