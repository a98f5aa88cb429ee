package dev.switchboard.redis;

import dev.switchboard.gateway.Presence;
import dev.switchboard.gateway.Registry;
import dev.switchboard.gateway.SharedStateException;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.redis.RedisPresenceEntries.ChannelEntry;
import dev.switchboard.redis.RedisPresenceEntries.UserEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Who is connected to the cluster, kept in Redis: each node mirrors its own {@link Registry} into
 * entries of its own (its users with their connections and channels, its channels with their
 * subscribers and since when), and every read merges the entries of the live nodes ({@link
 * RedisMembership#nodes}), a user on two nodes counted once.
 *
 * <p>Writes never block the registry's threads: each change goes through a bounded queue ({@value
 * RedisPresenceWriter#DEFAULT_QUEUE_CAPACITY} changes; beyond, the node's entries are rewritten
 * whole from its registry) to a writer thread, so reads show a change shortly after it is made
 * ({@link #awaitWritten}). The entries expire 10 s after the node's last heartbeat, so a crashed
 * node's devices vanish from reads within 6 s (it is no longer live) and from Redis within 10 s; a
 * node whose entries Redis lost (a restart) rewrites them at its next heartbeat.
 *
 * <p>Thread-safe. Reads block for at most twice the engine's command timeout (virtual threads,
 * never an event loop) and throw {@link SharedStateException} when Redis cannot answer.
 */
public final class RedisPresence implements Presence, AutoCloseable {

  private final RedisEngine engine;
  private final RedisMembership membership;
  private final RedisPresenceWriter writer;

  private RedisPresence(
      RedisEngine engine, RedisMembership membership, RedisPresenceWriter writer) {
    this.engine = engine;
    this.membership = membership;
    this.writer = writer;
  }

  /**
   * Starts mirroring {@code local} (attaching its one {@link Registry#listen listener}) and writes
   * what it holds already; the entries' TTL is refreshed by {@code membership}'s heartbeats.
   *
   * @throws IllegalStateException when {@code local} has a listener already
   * @throws IllegalArgumentException when {@code membership} is not {@code engine}'s node
   */
  public static RedisPresence start(
      RedisEngine engine, RedisMembership membership, Registry local) {
    return start(engine, membership, local, RedisPresenceWriter.DEFAULT_QUEUE_CAPACITY);
  }

  /** {@link #start} with another queue capacity, for tests of its overflow. */
  static RedisPresence start(
      RedisEngine engine, RedisMembership membership, Registry local, int queueCapacity) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(membership, "membership");
    Objects.requireNonNull(local, "local");
    if (!membership.nodeId().equals(engine.nodeId())) {
      throw new IllegalArgumentException(
          "the membership of node "
              + membership.nodeId()
              + " cannot keep the presence of node "
              + engine.nodeId()
              + " alive");
    }
    RedisPresenceWriter writer =
        new RedisPresenceWriter(engine, local, membership.entryTtlMillis(), queueCapacity);
    local.listen(writer);
    membership.afterHeartbeat(writer::refresh);
    writer.start();
    return new RedisPresence(engine, membership, writer);
  }

  /**
   * Waits until every change this node's registry made so far shows in reads, at most {@code
   * timeout}.
   *
   * @return false when some are not written in time (Redis away, say)
   */
  public boolean awaitWritten(Duration timeout) throws InterruptedException {
    return writer.awaitWritten(Objects.requireNonNull(timeout, "timeout"));
  }

  /** How many times this node's entries were rewritten whole (the first write included). */
  long rewrites() {
    return writer.rewrites();
  }

  /**
   * On which live nodes {@code userId} (a user's key) is connected, and with how many devices on
   * each; empty when nowhere. For the cluster API ({@code GET /api/v1/cluster/users/{id}}).
   */
  public SortedMap<String, Integer> userNodes(String userId) {
    Objects.requireNonNull(userId, "userId");
    SortedMap<String, Integer> out = new TreeMap<>();
    userEntries(userId).forEach((node, entry) -> out.put(node, entry.connections()));
    return Collections.unmodifiableSortedMap(out);
  }

  @Override
  public SortedMap<String, Integer> channels() {
    SortedMap<String, Integer> out = new TreeMap<>();
    for (RedisPresenceEntries node : all()) {
      node.channels().forEach((name, entry) -> out.merge(name, entry.subscribers(), Integer::sum));
    }
    return out;
  }

  @Override
  public OptionalInt subscribers(String channel) {
    return channel(channel).map(c -> OptionalInt.of(c.subscribers())).orElse(OptionalInt.empty());
  }

  @Override
  public Optional<Channel> channel(String channel) {
    Objects.requireNonNull(channel, "channel");
    Map<String, byte[]> values = field(RedisPresenceWriter::channelsKey, channel);
    int subscribers = 0;
    Instant since = Instant.MAX;
    for (byte[] value : values.values()) {
      ChannelEntry entry = RedisPresenceEntries.decodeChannel(value);
      subscribers += entry.subscribers();
      since = entry.since().isBefore(since) ? entry.since() : since;
    }
    return subscribers == 0
        ? Optional.empty()
        : Optional.of(new Channel(channel, subscribers, since));
  }

  @Override
  public Optional<User> user(String userId) {
    Objects.requireNonNull(userId, "userId");
    int connections = 0;
    TreeSet<String> channels = new TreeSet<>();
    for (UserEntry entry : userEntries(userId).values()) {
      connections += entry.connections();
      channels.addAll(entry.channels());
    }
    return connections == 0
        ? Optional.empty()
        : Optional.of(new User(userId, connections, channels));
  }

  @Override
  public Counts counts() {
    return counts(all(), user -> true, channel -> true);
  }

  @Override
  public SortedSet<String> tenants() {
    SortedSet<String> out = new TreeSet<>();
    for (RedisPresenceEntries node : all()) {
      node.users().keySet().forEach(user -> out.add(Tenant.ofUser(user).id()));
    }
    return out;
  }

  @Override
  public Counts counts(Tenant tenant) {
    Objects.requireNonNull(tenant, "tenant");
    return counts(all(), tenant::ownsUser, tenant::ownsChannel);
  }

  /**
   * Stops mirroring the registry and deletes this node's entries (a graceful shutdown; close the
   * membership after). Changes made after are not written.
   */
  @Override
  public void close() {
    writer.close();
  }

  private static Counts counts(
      List<RedisPresenceEntries> nodes, Predicate<String> ownsUser, Predicate<String> ownsChannel) {
    Map<String, Integer> users = new HashMap<>();
    Map<String, Integer> channels = new HashMap<>();
    int subscriptions = 0;
    for (RedisPresenceEntries node : nodes) {
      for (Map.Entry<String, UserEntry> e : node.users().entrySet()) {
        if (ownsUser.test(e.getKey())) {
          users.merge(e.getKey(), e.getValue().connections(), Integer::sum);
        }
      }
      for (Map.Entry<String, ChannelEntry> e : node.channels().entrySet()) {
        if (ownsChannel.test(e.getKey())) {
          channels.merge(e.getKey(), e.getValue().subscribers(), Integer::sum);
          subscriptions += e.getValue().subscribers();
        }
      }
    }
    int connections = users.values().stream().mapToInt(Integer::intValue).sum();
    int several = (int) users.values().stream().filter(n -> n > 1).count();
    return new Counts(connections, users.size(), channels.size(), several, subscriptions);
  }

  private List<String> liveNodes() {
    return membership.nodes().stream().map(ClusterNode::nodeId).toList();
  }

  /** Every live node's entries. */
  private List<RedisPresenceEntries> all() {
    List<String> nodes = liveNodes();
    return engine.call(
        "read the presence of " + nodes.size() + " nodes",
        c -> {
          List<CompletableFuture<RedisPresenceEntries>> reads = new ArrayList<>();
          for (String node : nodes) {
            reads.add(
                c.hgetall(RedisPresenceWriter.usersKey(engine, node))
                    .thenCombine(
                        c.hgetall(RedisPresenceWriter.channelsKey(engine, node)),
                        RedisPresenceEntries::decode)
                    .toCompletableFuture());
          }
          return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
              .thenApply(done -> reads.stream().map(CompletableFuture::join).toList());
        });
  }

  private Map<String, UserEntry> userEntries(String userId) {
    Map<String, UserEntry> out = new TreeMap<>();
    field(RedisPresenceWriter::usersKey, userId)
        .forEach((node, value) -> out.put(node, RedisPresenceEntries.decodeUser(value)));
    return out;
  }

  /** Which key of a node's a read looks in. */
  private interface NodeKey {
    String of(RedisEngine engine, String nodeId);
  }

  /** {@code field} of each live node's hash {@code key}, by node id: the nodes that have it. */
  private Map<String, byte[]> field(NodeKey key, String field) {
    List<String> nodes = liveNodes();
    return engine.call(
        "read the presence of " + nodes.size() + " nodes",
        c -> {
          List<CompletableFuture<byte[]>> reads = new ArrayList<>();
          for (String node : nodes) {
            reads.add(c.hget(key.of(engine, node), field).toCompletableFuture());
          }
          return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
              .thenApply(
                  done -> {
                    Map<String, byte[]> out = new TreeMap<>();
                    for (int i = 0; i < nodes.size(); i++) {
                      byte[] value = reads.get(i).join();
                      if (value != null) {
                        out.put(nodes.get(i), value);
                      }
                    }
                    return out;
                  });
        });
  }
}
