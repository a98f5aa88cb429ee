package dev.switchboard.gateway;

import java.util.List;

/** Who a notification goes to. */
public sealed interface Target {

  /** Every device of one user. */
  record User(String userId) implements Target {
    public User {
      Tenant.checkUserKey(userId);
    }
  }

  /** Every device of each of these users (duplicates removed, order kept). */
  record Users(List<String> userIds) implements Target {
    public Users {
      userIds = Names.distinct("target_user_ids", userIds);
      userIds.forEach(Tenant::checkUserKey);
    }
  }

  /** Every connected device of one tenant. */
  record Broadcast(Tenant tenant) implements Target {
    public Broadcast {
      java.util.Objects.requireNonNull(tenant, "tenant");
    }

    /** Every connected device of the {@link Tenant#DEFAULT default} tenant. */
    public Broadcast() {
      this(Tenant.DEFAULT);
    }
  }

  /** Every device subscribed to the channel. */
  record Channel(String name) implements Target {
    public Channel {
      Tenant.checkChannelKey(name);
    }
  }

  /** Every device subscribed to any of the channels, once each. */
  record Channels(List<String> names) implements Target {
    public Channels {
      names = Names.distinct("channels", names);
      names.forEach(Tenant::checkChannelKey);
    }
  }

  /** The target's kind as the HTTP API names it: user, users, broadcast, channel, channels. */
  default String kind() {
    return switch (this) {
      case User u -> "user";
      case Users u -> "users";
      case Broadcast b -> "broadcast";
      case Channel c -> "channel";
      case Channels c -> "channels";
    };
  }
}
