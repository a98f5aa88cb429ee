package dev.switchboard.redis;

import static dev.switchboard.redis.RedisEngine.number;
import static dev.switchboard.redis.RedisEngine.utf8;

import dev.switchboard.gateway.Acks;
import dev.switchboard.gateway.DeliveryLimits;
import dev.switchboard.gateway.Tenant;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link Acks} in Redis: every method is one run of {@code acks.lua}, which first forgets the
 * deliveries whose timeout passed at the {@code now} given. The statistics are counters in a Redis
 * hash, so they are the whole cluster's, since the hash was made (it is collected after {@link
 * RedisDeliveryStore#GC_MARGIN} plus the longest TTL without a write). A user's tenant is {@link
 * Tenant#ofUser} of the user key, as in memory. Thread-safe: it keeps no state of its own.
 */
final class RedisAcks implements Acks {

  private static final LuaScript SCRIPT = LuaScript.load("acks.lua");

  private final RedisEngine engine;
  private final String[] keys;
  private final DeliveryLimits limits;
  private final long gcMillis;

  RedisAcks(RedisEngine engine, String prefix, DeliveryLimits limits, long gcMillis) {
    this.engine = engine;
    this.keys =
        new String[] {
          prefix + ":acks:tracked",
          prefix + ":acks:age",
          prefix + ":acks:acked",
          prefix + ":acks:stats"
        };
    this.limits = limits;
    this.gcMillis = gcMillis;
  }

  @Override
  public void delivered(String userId, UUID notificationId, Instant now) {
    run(
        "track a delivery",
        ScriptOutputType.INTEGER,
        "delivered",
        now,
        utf8(field(userId, notificationId)),
        utf8(Tenant.ofUser(userId).id()),
        number(limits.acksMaxPending()));
  }

  @Override
  public Acked acknowledge(String userId, UUID notificationId, Instant now) {
    long latency =
        this.<Long>run(
            "acknowledge a delivery",
            ScriptOutputType.INTEGER,
            "ack",
            now,
            utf8(field(userId, notificationId)));
    if (latency == -1) {
      return new Acked(Outcome.UNKNOWN, Optional.empty());
    }
    if (latency == -2) {
      return new Acked(Outcome.ALREADY_ACKNOWLEDGED, Optional.empty());
    }
    return new Acked(Outcome.ACKNOWLEDGED, Optional.of(Duration.ofMillis(latency)));
  }

  @Override
  public Stats stats(Instant now) {
    return stats("", now);
  }

  @Override
  public Stats stats(Tenant tenant, Instant now) {
    return stats("@" + tenant.id(), now);
  }

  private Stats stats(String suffix, Instant now) {
    List<Object> c =
        this.<List<Object>>run(
            "read ACK statistics", ScriptOutputType.MULTI, "stats", now, utf8(suffix));
    long acknowledged = RedisStreams.asLong(c.get(1));
    long ackMillis = RedisStreams.asLong(c.get(4));
    return new Stats(
        RedisStreams.asLong(c.get(0)),
        acknowledged,
        RedisStreams.asLong(c.get(2)),
        acknowledged == 0 ? 0 : (double) ackMillis / acknowledged,
        RedisStreams.asLong(c.get(3)));
  }

  /** The tracked delivery's name: the id (36 characters) then the user key. */
  private static String field(String userId, UUID notificationId) {
    Objects.requireNonNull(userId, "userId");
    return notificationId.toString() + userId;
  }

  private <T> T run(
      String operation, ScriptOutputType type, String op, Instant now, byte[]... more) {
    byte[][] args = new byte[4 + more.length][];
    args[0] = utf8(op);
    args[1] = RedisStreams.millis(now);
    args[2] = number(limits.ackTimeout().toMillis());
    args[3] = number(gcMillis);
    System.arraycopy(more, 0, args, 4, more.length);
    return engine.call(operation, c -> RedisEngine.<T>eval(c, SCRIPT, type, keys, args));
  }
}
