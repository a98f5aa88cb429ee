package dev.switchboard.resilience.redis;

import dev.switchboard.resilience.EventPublisher;
import dev.switchboard.resilience.RateLimiter;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A token bucket per key kept in Redis, so that every node sharing the Redis server shares the
 * limit: {@code rate} tokens every {@code period}, at most {@code burst} stored, one permit per
 * token; a new (or expired) key starts full. Each request is one atomic Lua script timed by the
 * Redis server's clock, so requests from all nodes, however many in the same millisecond, are each
 * counted exactly, and a refused request takes nothing.
 *
 * <p>Answers with the core module's {@link RateLimiter.Result}, so callers treat local and
 * distributed limits alike. When Redis does not answer within the command timeout, or fails, the
 * config's {@link FailureMode} decides (by default {@link FailureMode#OPEN}: grant); the failure is
 * published as an event, told to the exception handling callback and logged, and is not thrown
 * unless the mode is {@link FailureMode#THROW}.
 *
 * <p>Thread-safe. {@link #tryAcquireAsync} never blocks: call it from event loops. {@link
 * #tryAcquire} blocks for at most the command timeout; never call it on a Lettuce or Netty I/O
 * thread. Redis keys are the config's prefix followed by the caller's key, and expire once their
 * bucket would be full again.
 *
 * <p>Ownership: a limiter made by {@link #create} uses the caller's connection and never closes it;
 * one made by {@link #connect} owns its client and connection and closes them in {@link #close()}.
 */
public interface RedisRateLimiter extends AutoCloseable {

  /**
   * A limiter on the caller's connection (Lettuce's default auto-flush), which it may share with
   * other users and which the caller closes after the limiter. Sends nothing until the first
   * request: the script is loaded on first use, and again whenever Redis lost it. While the
   * connection is down the limiter applies its failure mode without sending; a client whose options
   * say {@code DisconnectedBehavior.REJECT_COMMANDS} also fails at once the requests caught in the
   * moment the connection breaks, instead of after the command timeout.
   */
  static RedisRateLimiter create(
      String name,
      StatefulRedisConnection<String, String> connection,
      RedisRateLimiterConfig config) {
    Objects.requireNonNull(connection, "connection");
    return new RedisRateLimiterImpl(name, connection, config, () -> {});
  }

  /**
   * A limiter with a client and connection of its own to {@code uri}, closed by {@link #close()}.
   * Blocks until connected; after that, Lettuce reconnects by itself whenever the connection drops.
   *
   * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached now
   */
  static RedisRateLimiter connect(String name, RedisURI uri, RedisRateLimiterConfig config) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(config, "config");
    RedisClient client = RedisClient.create(uri);
    // While reconnecting, fail requests at once rather than queue them to run late.
    client.setOptions(
        ClientOptions.builder().disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS).build());
    StatefulRedisConnection<String, String> connection;
    try {
      connection = client.connect();
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
    return new RedisRateLimiterImpl(
        name,
        connection,
        config,
        () -> {
          connection.close();
          client.shutdown();
        });
  }

  String name();

  RedisRateLimiterConfig config();

  /** This limiter's events; they also go to the config's event bus. */
  EventPublisher<RedisRateLimiterEvent> events();

  /**
   * Takes one permit of {@code key}'s bucket if one is free now. See {@link #tryAcquire(String,
   * int)}.
   */
  default RateLimiter.Result tryAcquire(String key) {
    return tryAcquire(key, 1);
  }

  /**
   * Takes {@code permits} from {@code key}'s bucket if they are all free now; never waits for
   * tokens, and blocks at most the command timeout for Redis. A refusal takes nothing.
   *
   * @throws IllegalArgumentException if {@code permits} is below 1 or above the burst (it could
   *     never be granted)
   * @throws IllegalStateException if the limiter is closed
   * @throws RedisRateLimiterException (or what the configured transformer makes of it) only with
   *     {@link FailureMode#THROW}, when Redis does not answer
   */
  RateLimiter.Result tryAcquire(String key, int permits);

  /** One permit, as {@link #tryAcquireAsync(String, int)}. */
  default CompletionStage<RateLimiter.Result> tryAcquireAsync(String key) {
    return tryAcquireAsync(key, 1);
  }

  /**
   * As {@link #tryAcquire(String, int)}, without blocking: the stage completes when Redis answers
   * or the command timeout passes, on a Lettuce I/O thread or the JDK's delay thread, so keep
   * dependent actions short or give them an executor. With {@link FailureMode#THROW} the stage
   * fails with {@link RedisRateLimiterException}.
   *
   * @throws IllegalArgumentException at once, if {@code permits} is below 1 or above the burst
   * @throws IllegalStateException at once, if the limiter is closed
   */
  CompletionStage<RateLimiter.Result> tryAcquireAsync(String key, int permits);

  /**
   * Stops taking requests, and closes the client and connection if the limiter owns them ({@link
   * #connect}); leaves a caller's connection open. Idempotent.
   */
  @Override
  void close();
}
