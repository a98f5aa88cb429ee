package dev.switchboard.redis;

import dev.switchboard.gateway.Device;
import dev.switchboard.gateway.Registry;
import dev.switchboard.gateway.RegistryListener;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors one node's {@link Registry} into its presence entries ({@link RedisPresenceEntries}) off
 * the registry's threads: each change puts the user and channels it touched in a bounded queue
 * (without blocking), and a thread of its own writes their entries as the registry has them when it
 * writes, many changes in one script. When the queue is full, or a write fails, or Redis has lost
 * the entries, the next write replaces them all from the registry instead.
 *
 * <p>Thread-safe: the listener's methods run on any thread; the fields below say which lock or
 * thread owns them.
 */
final class RedisPresenceWriter implements RegistryListener, AutoCloseable {

  /** The most changes waiting to be written; beyond, the next write is a rewrite: {@value}. */
  static final int DEFAULT_QUEUE_CAPACITY = 10_000;

  /** How long the writer waits before it tries again after a failed write: {@value} ms. */
  static final long RETRY_MILLIS = 500;

  private static final Logger log = LoggerFactory.getLogger(RedisPresenceWriter.class);
  private static final LuaScript WRITE = LuaScript.load("presence-write.lua");
  private static final LuaScript REWRITE = LuaScript.load("presence-rewrite.lua");

  /** One change: a user and the channels whose entries it changed. */
  private record Change(String userId, Collection<String> channels) {}

  private final RedisEngine engine;
  private final Registry local;
  private final long ttlMillis;
  private final int capacity;
  private final String usersKey;
  private final String channelsKey;
  private final Thread thread;

  private final ReentrantLock lock = new ReentrantLock();

  /** Signalled when there is something to write, or on close. */
  private final Condition work = lock.newCondition();

  /** Signalled when {@link #written} moves. */
  private final Condition progress = lock.newCondition();

  /** Guarded by {@code lock}; at most {@code capacity}. */
  private final ArrayDeque<Change> pending = new ArrayDeque<>();

  /** Changes (and rewrites) asked for so far; guarded by {@code lock}. */
  private long requested;

  /** Of {@link #requested}, how many are written; guarded by {@code lock}. */
  private long written;

  /** Whether the next write replaces every entry; guarded by {@code lock}. */
  private boolean rewrite;

  /** Guarded by {@code lock}. */
  private boolean closed;

  /** Rewrites of every entry done so far; guarded by {@code lock}. */
  private long rewrites;

  /** Whether the last write failed; owned by the writer's thread. */
  private boolean failing;

  RedisPresenceWriter(RedisEngine engine, Registry local, long ttlMillis, int capacity) {
    this.engine = engine;
    this.local = local;
    this.ttlMillis = ttlMillis;
    this.capacity = capacity;
    this.usersKey = usersKey(engine, engine.nodeId());
    this.channelsKey = channelsKey(engine, engine.nodeId());
    this.thread =
        Thread.ofPlatform()
            .daemon(true)
            .name("redis-presence-writer-" + engine.nodeId())
            .unstarted(this::run);
  }

  static String usersKey(RedisEngine engine, String nodeId) {
    return engine.key("presence", "node", nodeId, "users");
  }

  static String channelsKey(RedisEngine engine, String nodeId) {
    return engine.key("presence", "node", nodeId, "channels");
  }

  /** Starts writing, with a rewrite of whatever the registry holds already. */
  void start() {
    requestRewrite();
    thread.start();
  }

  @Override
  public void onConnected(Device device) {
    changed(new Change(device.userId(), List.of()));
  }

  @Override
  public void onDisconnected(Device device, Set<String> channels) {
    changed(new Change(device.userId(), channels));
  }

  @Override
  public void onSubscribed(Device device, List<String> channels) {
    changed(new Change(device.userId(), channels));
  }

  @Override
  public void onUnsubscribed(Device device, List<String> channels) {
    changed(new Change(device.userId(), channels));
  }

  /** Replaces every entry at the next write. */
  void requestRewrite() {
    lock.lock();
    try {
      requested++;
      rewrite = true;
      work.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until every change told so far is written, at most {@code timeout}.
   *
   * @return false when some are not written in time
   */
  boolean awaitWritten(Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    lock.lock();
    try {
      long target = requested;
      while (written < target) {
        if (left <= 0 || closed) {
          return false;
        }
        left = progress.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** How many times every entry was rewritten (the first write included): for tests. */
  long rewrites() {
    lock.lock();
    try {
      return rewrites;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Refreshes the entries' TTL (on the membership's heartbeat); asks for a rewrite when Redis has
   * lost them (a restart) while the registry has some.
   */
  void refresh() {
    if (isClosed()) {
      return;
    }
    List<Boolean> alive =
        engine.call(
            "refresh the presence of node " + engine.nodeId(),
            c ->
                c.pexpire(usersKey, ttlMillis)
                    .thenCombine(c.pexpire(channelsKey, ttlMillis), (u, ch) -> List.of(u, ch)));
    if ((!alive.get(0) && local.connectionCount() > 0)
        || (!alive.get(1) && local.channelCount() > 0)) {
      requestRewrite();
    }
  }

  /**
   * Stops the writer (what is not written yet is not) and deletes this node's entries. Idempotent.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      work.signal();
      progress.signalAll();
    } finally {
      lock.unlock();
    }
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      engine.call(
          "delete the presence of node " + engine.nodeId(), c -> c.del(usersKey, channelsKey));
    } catch (RuntimeException e) {
      log.warn(
          "node {} left its presence entries in Redis ({}); they expire within {} ms",
          engine.nodeId(),
          e.getMessage(),
          ttlMillis);
    }
  }

  private void changed(Change change) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      requested++;
      if (pending.size() < capacity) {
        pending.add(change);
      } else if (!rewrite) {
        rewrite = true;
        pending.clear();
      }
      work.signal();
    } finally {
      lock.unlock();
    }
  }

  private boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** The writer's thread. */
  private void run() {
    while (true) {
      long target;
      boolean whole;
      List<Change> batch;
      lock.lock();
      try {
        while (pending.isEmpty() && !rewrite && !closed) {
          work.awaitUninterruptibly();
        }
        if (closed) {
          return;
        }
        target = requested;
        whole = rewrite;
        rewrite = false;
        batch = new ArrayList<>(pending);
        pending.clear();
      } finally {
        lock.unlock();
      }
      try {
        if (whole) {
          rewriteAll();
        } else {
          write(batch);
        }
      } catch (RuntimeException e) {
        if (isClosed()) {
          return;
        }
        if (!failing) {
          failing = true;
          log.warn(
              "node {} cannot write its presence ({}); rewriting it whole every {} ms until it can",
              engine.nodeId(),
              e.getMessage(),
              RETRY_MILLIS);
        }
        lock.lock();
        try {
          rewrite = true;
        } finally {
          lock.unlock();
        }
        try {
          Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException interrupted) {
          return;
        }
        continue;
      }
      if (failing) {
        failing = false;
        log.info("node {} writes its presence again", engine.nodeId());
      }
      lock.lock();
      try {
        written = Math.max(written, target);
        rewrites += whole ? 1 : 0;
        progress.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private void write(List<Change> batch) {
    TreeSet<String> users = new TreeSet<>();
    TreeSet<String> channels = new TreeSet<>();
    for (Change change : batch) {
      users.add(change.userId());
      channels.addAll(change.channels());
    }
    List<byte[]> args = new ArrayList<>();
    args.add(RedisEngine.number(ttlMillis));
    args.add(RedisEngine.number(users.size()));
    for (String user : users) {
      args.add(RedisEngine.utf8(user));
      args.add(RedisPresenceEntries.user(local, user));
    }
    for (String channel : channels) {
      args.add(RedisEngine.utf8(channel));
      args.add(RedisPresenceEntries.channel(local, channel));
    }
    run(WRITE, "write", args);
  }

  private void rewriteAll() {
    Map<String, byte[]> users = RedisPresenceEntries.users(local);
    Map<String, byte[]> channels = RedisPresenceEntries.channels(local);
    List<byte[]> args = new ArrayList<>();
    args.add(RedisEngine.number(ttlMillis));
    args.add(RedisEngine.number(users.size()));
    for (Map<String, byte[]> entries : List.of(users, channels)) {
      entries.forEach(
          (key, value) -> {
            args.add(RedisEngine.utf8(key));
            args.add(value);
          });
    }
    run(REWRITE, "rewrite", args);
  }

  private void run(LuaScript script, String what, List<byte[]> args) {
    engine.call(
        what + " the presence of node " + engine.nodeId(),
        c ->
            RedisEngine.<Long>eval(
                c,
                script,
                ScriptOutputType.INTEGER,
                new String[] {usersKey, channelsKey},
                args.toArray(byte[][]::new)));
  }
}
