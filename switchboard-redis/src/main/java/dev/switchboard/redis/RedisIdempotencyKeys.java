package dev.switchboard.redis;

import static dev.switchboard.redis.RedisEngine.number;
import static dev.switchboard.redis.RedisEngine.utf8;

import dev.switchboard.gateway.DeliveryLimits;
import dev.switchboard.gateway.IdempotencyKeys;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * {@link IdempotencyKeys} in Redis: every method is one run of {@code idempotency.lua}; a claim and
 * a size first forget the keys whose window ended at the {@code now} given. Thread-safe: it keeps
 * no state of its own.
 */
final class RedisIdempotencyKeys implements IdempotencyKeys {

  private static final LuaScript SCRIPT = LuaScript.load("idempotency.lua");

  /** {@link #release} takes no time; a key's removal does not depend on it. */
  private static final Instant NO_TIME = Instant.EPOCH;

  private final RedisEngine engine;
  private final String[] keys;
  private final DeliveryLimits limits;
  private final long gcMillis;

  RedisIdempotencyKeys(RedisEngine engine, String prefix, DeliveryLimits limits, long gcMillis) {
    this.engine = engine;
    this.keys =
        new String[] {
          prefix + ":idempotency:fingerprints",
          prefix + ":idempotency:answers",
          prefix + ":idempotency:expiry"
        };
    this.limits = limits;
    this.gcMillis = gcMillis;
  }

  @Override
  public Claim claim(String key, String fingerprint, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(fingerprint, "fingerprint");
    List<Object> answer =
        this.<List<Object>>run(
            "claim an idempotency key",
            ScriptOutputType.MULTI,
            "claim",
            now,
            utf8(key),
            utf8(fingerprint),
            number(limits.idempotencyMaxKeys()));
    return switch (RedisStreams.asText(answer.get(0))) {
      case "claimed" -> new Claim.Claimed();
      case "answered" -> new Claim.Answered((byte[]) answer.get(1));
      case "progress" -> new Claim.InProgress();
      case "mismatch" -> new Claim.Mismatch();
      case "full" -> new Claim.Full();
      default -> throw new IllegalStateException("idempotency.lua answered " + answer);
    };
  }

  @Override
  public void complete(String key, byte[] answer, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(answer, "answer");
    run(
        "complete an idempotency key",
        ScriptOutputType.INTEGER,
        "complete",
        now,
        utf8(key),
        answer);
  }

  @Override
  public void release(String key) {
    Objects.requireNonNull(key, "key");
    run("release an idempotency key", ScriptOutputType.INTEGER, "release", NO_TIME, utf8(key));
  }

  @Override
  public long size(Instant now) {
    return this.<Long>run("count idempotency keys", ScriptOutputType.INTEGER, "size", now);
  }

  private <T> T run(
      String operation, ScriptOutputType type, String op, Instant now, byte[]... more) {
    byte[][] args = new byte[4 + more.length][];
    args[0] = utf8(op);
    args[1] = RedisStreams.millis(now);
    args[2] = number(limits.idempotencyTtl().toMillis());
    args[3] = number(gcMillis);
    System.arraycopy(more, 0, args, 4, more.length);
    return engine.call(operation, c -> RedisEngine.<T>eval(c, SCRIPT, type, keys, args));
  }
}
