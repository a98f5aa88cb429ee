package dev.switchboard.gateway;

/**
 * An ordered stream of notifications: a channel's, or one user's inbox (the notifications sent to
 * that user). Every notification appended to a stream gets the stream's next offset (1, 2, 3, ...)
 * within the stream's epoch.
 */
public sealed interface StreamId {

  /** The stream of a channel: every notification sent to it. */
  record Channel(String name) implements StreamId {
    public Channel {
      Tenant.checkChannelKey(name);
    }
  }

  /** A user's inbox: every notification sent to that user (targets user and users). */
  record Inbox(String userId) implements StreamId {
    public Inbox {
      Tenant.checkUserKey(userId);
    }
  }

  /**
   * The stream's name in an SSE event id: the channel name, or {@link #INBOX_KEY} for the user's
   * own inbox (the SSE connection belongs to one user, so the user id is implied).
   */
  default String key() {
    return switch (this) {
      case Channel c -> Tenant.channelName(c.name());
      case Inbox i -> INBOX_KEY;
    };
  }

  /** The key of the inbox; never a channel name (channel names are letters, digits, -, _, .). */
  String INBOX_KEY = "~";
}
