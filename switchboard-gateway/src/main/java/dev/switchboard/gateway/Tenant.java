package dev.switchboard.gateway;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant: a namespace of user ids and channel names. Alice of {@code acme} is not alice of {@code
 * globex}, and channel {@code orders} of one is not the other's.
 *
 * <p>One registry and one delivery store hold every tenant; names are scoped at the edges. Where a
 * name comes in (a device's token and subscriptions, an HTTP request's targets and paths) {@link
 * #user} and {@link #channel} check it as a public name and turn it into its key; where a key goes
 * out (answers, a notification's {@code channel}) {@link #userName} and {@link #channelName} give
 * the public name back. The {@link #DEFAULT} tenant's keys are the names themselves, so a server
 * without tenants keys everything as it always did. Another tenant's keys are {@code
 * <tenant>~<channel>} (no channel name holds {@code ~}) and {@code <tenant>U+001F<user>} (no user
 * id may hold that control character).
 *
 * @param id 1-64 characters of ASCII letters, digits, {@code -} and {@code _}
 */
public record Tenant(String id) {

  /**
   * The tenant of a token without {@code tenant_id} and of a request without {@code X-Tenant-ID}.
   */
  public static final Tenant DEFAULT = new Tenant("default");

  /** Longest tenant id. */
  public static final int MAX_ID_LENGTH = 64;

  static final char CHANNEL_SEPARATOR = '~';
  static final char USER_SEPARATOR = '\u001f';

  /**
   * @throws IllegalArgumentException naming {@code id} when it is not 1-64 characters of letters,
   *     digits, {@code -} and {@code _}
   */
  public Tenant {
    if (!isId(id)) {
      throw new IllegalArgumentException(
          "invalid tenant id "
              + Names.quote(id)
              + ": use 1-"
              + MAX_ID_LENGTH
              + " characters of letters, digits, '-' and '_'");
    }
  }

  /** The tenant named {@code id}, or {@link #DEFAULT} when empty. */
  public static Tenant of(Optional<String> id) {
    return id.map(Tenant::new).orElse(DEFAULT);
  }

  /** True when {@code id} is a valid tenant id. */
  public static boolean isId(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_')) {
        return false;
      }
    }
    return true;
  }

  public boolean isDefault() {
    return equals(DEFAULT);
  }

  /**
   * The key of this tenant's user {@code userId}.
   *
   * @throws IllegalArgumentException when {@code userId} is not a valid user id
   */
  public String user(String userId) {
    Names.checkUserId(userId);
    if (userId.indexOf(USER_SEPARATOR) >= 0) {
      throw new IllegalArgumentException(
          "invalid user id " + Names.quote(userId) + ": must not hold the character U+001F");
    }
    return isDefault() ? userId : id + USER_SEPARATOR + userId;
  }

  /**
   * The key of this tenant's channel {@code name}.
   *
   * @throws IllegalArgumentException when {@code name} is not a valid channel name
   */
  public String channel(String name) {
    Names.checkChannel(name);
    return isDefault() ? name : id + CHANNEL_SEPARATOR + name;
  }

  /** The keys of this tenant's channels {@code names}, as {@link #channel}. */
  public List<String> channels(List<String> names) {
    return names.stream().map(this::channel).toList();
  }

  /** The tenant whose user has the key {@code key}. */
  public static Tenant ofUser(String key) {
    int at = key.indexOf(USER_SEPARATOR);
    return at < 0 ? DEFAULT : new Tenant(key.substring(0, at));
  }

  /** The tenant whose channel has the key {@code key}. */
  public static Tenant ofChannel(String key) {
    int at = key.indexOf(CHANNEL_SEPARATOR);
    return at < 0 ? DEFAULT : new Tenant(key.substring(0, at));
  }

  /** True when {@code key} is the key of one of this tenant's users. */
  public boolean ownsUser(String key) {
    return ofUser(key).equals(this);
  }

  /** True when {@code key} is the key of one of this tenant's channels. */
  public boolean ownsChannel(String key) {
    return ofChannel(key).equals(this);
  }

  /** The user id whose key is {@code key}, as its tenant knows it. */
  public static String userName(String key) {
    return key.substring(key.indexOf(USER_SEPARATOR) + 1);
  }

  /** The channel name whose key is {@code key}, as its tenant knows it. */
  public static String channelName(String key) {
    return key.substring(key.indexOf(CHANNEL_SEPARATOR) + 1);
  }

  /** {@code target} with its names turned into this tenant's keys. */
  public Target scope(Target target) {
    Objects.requireNonNull(target, "target");
    return switch (target) {
      case Target.User u -> new Target.User(user(u.userId()));
      case Target.Users u -> new Target.Users(u.userIds().stream().map(this::user).toList());
      case Target.Broadcast b -> new Target.Broadcast(this);
      case Target.Channel c -> new Target.Channel(channel(c.name()));
      case Target.Channels c -> new Target.Channels(channels(c.names()));
    };
  }

  /**
   * Checks {@code key} as the key of a user id (of any tenant).
   *
   * @throws IllegalArgumentException naming it when it is not
   */
  static String checkUserKey(String key) {
    if (key != null && key.indexOf(USER_SEPARATOR) >= 0) {
      int at = key.indexOf(USER_SEPARATOR);
      if (!isId(key.substring(0, at))) {
        throw new IllegalArgumentException("invalid user key " + Names.quote(key));
      }
      new Tenant(key.substring(0, at)).user(key.substring(at + 1));
      return key;
    }
    return Names.checkUserId(key);
  }

  /**
   * Checks {@code key} as the key of a channel (of any tenant).
   *
   * @throws IllegalArgumentException naming it when it is not
   */
  static String checkChannelKey(String key) {
    if (key != null && key.indexOf(CHANNEL_SEPARATOR) >= 0) {
      int at = key.indexOf(CHANNEL_SEPARATOR);
      if (!isId(key.substring(0, at))) {
        throw new IllegalArgumentException("invalid channel key " + Names.quote(key));
      }
      Names.checkChannel(key.substring(at + 1));
      return key;
    }
    return Names.checkChannel(key);
  }
}
