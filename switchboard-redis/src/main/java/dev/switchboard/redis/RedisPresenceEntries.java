package dev.switchboard.redis;

import dev.switchboard.gateway.Device;
import dev.switchboard.gateway.Registry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One node's presence entries as {@link RedisPresence} keeps them: a hash of its users (user key to
 * {@code "<connections> <channel> <channel>..."}, the channels of any of the user's devices on that
 * node) and a hash of its channels (channel key to {@code "<subscribers> <since>"}, since in
 * ISO-8601). Neither user keys nor channel keys hold a space. Read here from the registry, encoded
 * for the scripts, and decoded for reads.
 *
 * @param users by user key: connections and channels on the node
 * @param channels by channel key: subscribers on the node and since when
 */
record RedisPresenceEntries(Map<String, UserEntry> users, Map<String, ChannelEntry> channels) {

  /** A user's devices on one node and their channels. */
  record UserEntry(int connections, List<String> channels) {}

  /** A channel's subscribers on one node, and since when it has had any there. */
  record ChannelEntry(int subscribers, Instant since) {}

  /** The value of {@code userId}'s entry in {@code registry} now: empty (deleted) when absent. */
  static byte[] user(Registry registry, String userId) {
    Collection<Device> devices = List.copyOf(registry.devicesOf(userId));
    if (devices.isEmpty()) {
      return new byte[0];
    }
    TreeSet<String> channels = new TreeSet<>();
    devices.forEach(device -> channels.addAll(registry.channelsOf(device)));
    StringBuilder value = new StringBuilder().append(devices.size());
    channels.forEach(channel -> value.append(' ').append(channel));
    return value.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The value of {@code channel}'s entry in {@code registry} now: empty (deleted) when absent. */
  static byte[] channel(Registry registry, String channel) {
    int subscribers = registry.subscribers(channel).size();
    Optional<Instant> since = registry.channelSince(channel);
    if (subscribers == 0 || since.isEmpty()) {
      return new byte[0];
    }
    return (subscribers + " " + since.get()).getBytes(StandardCharsets.UTF_8);
  }

  /** Every user entry of {@code registry} now. */
  static Map<String, byte[]> users(Registry registry) {
    TreeSet<String> userIds = new TreeSet<>();
    registry.devices().forEach(device -> userIds.add(device.userId()));
    Map<String, byte[]> out = new TreeMap<>();
    userIds.forEach(userId -> out.put(userId, user(registry, userId)));
    out.values().removeIf(value -> value.length == 0);
    return out;
  }

  /** Every channel entry of {@code registry} now. */
  static Map<String, byte[]> channels(Registry registry) {
    Map<String, byte[]> out = new TreeMap<>();
    registry.channels().keySet().forEach(channel -> out.put(channel, channel(registry, channel)));
    out.values().removeIf(value -> value.length == 0);
    return out;
  }

  static UserEntry decodeUser(byte[] value) {
    List<String> parts =
        new ArrayList<>(Arrays.asList(new String(value, StandardCharsets.UTF_8).split(" ")));
    int connections = Integer.parseInt(parts.removeFirst());
    return new UserEntry(connections, List.copyOf(parts));
  }

  static ChannelEntry decodeChannel(byte[] value) {
    String text = new String(value, StandardCharsets.UTF_8);
    int space = text.indexOf(' ');
    return new ChannelEntry(
        Integer.parseInt(text.substring(0, space)), Instant.parse(text.substring(space + 1)));
  }

  /** A node's hashes as read: entries that cannot be read are skipped (another version's). */
  static RedisPresenceEntries decode(Map<String, byte[]> users, Map<String, byte[]> channels) {
    Map<String, UserEntry> u = new TreeMap<>();
    users.forEach(
        (key, value) -> {
          try {
            u.put(key, decodeUser(value));
          } catch (RuntimeException e) {
            // not one of ours: nothing to count
          }
        });
    Map<String, ChannelEntry> c = new TreeMap<>();
    channels.forEach(
        (key, value) -> {
          try {
            c.put(key, decodeChannel(value));
          } catch (RuntimeException e) {
            // not one of ours: nothing to count
          }
        });
    return new RedisPresenceEntries(u, c);
  }
}
