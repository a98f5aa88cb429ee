package dev.switchboard.gateway;

import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Who is connected, as the HTTP API reports it: users and their connections, channels and their
 * subscribers, and the totals. Read-only: each node's {@link Registry} is the one writer of its own
 * connections and subscriptions, and presence is the view of every node's registry together.
 *
 * <p>{@link #inMemory} is the embedded default: this node's registry is the whole picture, read
 * lock-free. A shared engine must answer the same; see "Shared state" in {@code
 * docs/architecture.md} for what it must do, and {@code PresenceContract} (this module's tests) for
 * the behaviours both pass.
 *
 * <p>Thread-safe. A shared engine's reads may wait for its store, within its own bounded timeout,
 * so call them from a thread that may block (the HTTP API's virtual threads), never an event loop.
 * Each method throws {@link SharedStateException} when that store cannot answer (never in memory).
 * Every answer is a snapshot: a connection may come or go while it is read.
 */
public interface Presence {

  /**
   * Every channel with at least one subscriber, and how many devices are subscribed to it, by name.
   * At most as many entries as {@link RegistryLimits} allow subscriptions on all nodes together.
   */
  SortedMap<String, Integer> channels();

  /** How many devices are subscribed to {@code channel}; empty when none is. */
  OptionalInt subscribers(String channel);

  /**
   * {@code channel}'s subscribers and since when it has had any (its first subscriber on any node
   * since it last had none); empty when none is subscribed.
   */
  Optional<Channel> channel(String channel);

  /** {@code userId}'s connections and their channels; empty when the user has none. */
  Optional<User> user(String userId);

  /** Connections, users and channels now. */
  Counts counts();

  /** The tenants with at least one connection now, by id. */
  SortedSet<String> tenants();

  /** Connections, users and channels of {@code tenant} alone now. */
  Counts counts(Tenant tenant);

  /**
   * This presence as {@code tenant} sees it: its names in and out, its users and channels alone,
   * its counts. {@link #counts()} of the view counts {@code tenant} alone.
   */
  default Presence in(Tenant tenant) {
    return new TenantPresence(this, tenant);
  }

  /**
   * One connected user.
   *
   * @param connections the user's devices connected now (at least 1)
   * @param channels the channels any of them is subscribed to, sorted; immutable
   */
  record User(String userId, int connections, SortedSet<String> channels) {
    public User {
      Objects.requireNonNull(userId, "userId");
      if (connections < 1) {
        throw new IllegalArgumentException(
            "a present user has at least 1 connection, got " + connections);
      }
      channels = Collections.unmodifiableSortedSet(new TreeSet<>(channels));
    }
  }

  /**
   * One channel with subscribers.
   *
   * @param subscribers devices subscribed (at least 1)
   * @param createdAt when its first subscriber came, since it last had none
   */
  record Channel(String name, int subscribers, Instant createdAt) {
    public Channel {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(createdAt, "createdAt");
    }
  }

  /**
   * Totals.
   *
   * @param connections devices connected
   * @param users users with at least one device connected, each counted once
   * @param channels channels with at least one subscriber
   * @param usersWithMultipleConnections users with more than one device connected
   * @param subscriptions channel subscriptions of every device together
   */
  record Counts(
      int connections,
      int users,
      int channels,
      int usersWithMultipleConnections,
      int subscriptions) {}

  /** The presence of a single node: what {@code local} holds, read as it changes. */
  static Presence inMemory(Registry local) {
    return new InMemoryPresence(local);
  }
}
