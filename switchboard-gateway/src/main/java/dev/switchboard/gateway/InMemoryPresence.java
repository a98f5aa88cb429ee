package dev.switchboard.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/** {@link Presence#inMemory}: the local registry's indexes, read lock-free. */
final class InMemoryPresence implements Presence {

  private final Registry local;

  InMemoryPresence(Registry local) {
    this.local = Objects.requireNonNull(local, "local");
  }

  @Override
  public SortedMap<String, Integer> channels() {
    return local.channels();
  }

  @Override
  public OptionalInt subscribers(String channel) {
    int n = local.subscribers(Objects.requireNonNull(channel, "channel")).size();
    return n == 0 ? OptionalInt.empty() : OptionalInt.of(n);
  }

  @Override
  public Optional<Channel> channel(String channel) {
    OptionalInt subscribers = subscribers(channel);
    Optional<Instant> since = local.channelSince(channel);
    // The two reads may straddle the channel's last subscriber leaving: then it has none.
    return subscribers.isPresent() && since.isPresent()
        ? Optional.of(new Channel(channel, subscribers.getAsInt(), since.get()))
        : Optional.empty();
  }

  @Override
  public Optional<User> user(String userId) {
    // One look at the user's devices gives both answers, so they agree with each other.
    List<Device> devices = List.copyOf(local.devicesOf(Objects.requireNonNull(userId, "userId")));
    if (devices.isEmpty()) {
      return Optional.empty();
    }
    SortedSet<String> channels = new TreeSet<>();
    devices.forEach(device -> channels.addAll(local.channelsOf(device)));
    return Optional.of(new User(userId, devices.size(), channels));
  }

  @Override
  public Counts counts() {
    return new Counts(
        local.connectionCount(),
        local.userCount(),
        local.channelCount(),
        local.usersWithMultipleConnections(),
        local.subscriptionCount());
  }

  @Override
  public SortedSet<String> tenants() {
    return local.tenants();
  }

  @Override
  public Counts counts(Tenant tenant) {
    return local.counts(tenant);
  }
}
