package dev.switchboard.gateway;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@link Presence#in}: one tenant's view, its names in and out. */
final class TenantPresence implements Presence {

  private final Presence all;
  private final Tenant tenant;

  TenantPresence(Presence all, Tenant tenant) {
    this.all = Objects.requireNonNull(all, "all");
    this.tenant = Objects.requireNonNull(tenant, "tenant");
  }

  @Override
  public SortedMap<String, Integer> channels() {
    SortedMap<String, Integer> out = new TreeMap<>();
    all.channels()
        .forEach(
            (key, n) -> {
              if (tenant.ownsChannel(key)) {
                out.put(Tenant.channelName(key), n);
              }
            });
    return out;
  }

  @Override
  public OptionalInt subscribers(String channel) {
    return all.subscribers(tenant.channel(channel));
  }

  @Override
  public Optional<Channel> channel(String channel) {
    return all.channel(tenant.channel(channel))
        .map(c -> new Channel(channel, c.subscribers(), c.createdAt()));
  }

  @Override
  public Optional<User> user(String userId) {
    return all.user(tenant.user(userId))
        .map(
            u -> {
              TreeSet<String> channels = new TreeSet<>();
              u.channels().forEach(key -> channels.add(Tenant.channelName(key)));
              return new User(userId, u.connections(), channels);
            });
  }

  @Override
  public Counts counts() {
    return all.counts(tenant);
  }

  @Override
  public java.util.SortedSet<String> tenants() {
    return all.tenants().contains(tenant.id())
        ? new TreeSet<>(java.util.Set.of(tenant.id()))
        : new TreeSet<>();
  }

  @Override
  public Counts counts(Tenant other) {
    return tenant.equals(other) ? counts() : new Counts(0, 0, 0, 0, 0);
  }

  @Override
  public Presence in(Tenant other) {
    return all.in(other);
  }
}
