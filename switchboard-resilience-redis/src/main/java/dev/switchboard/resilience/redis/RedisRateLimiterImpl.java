package dev.switchboard.resilience.redis;

import dev.switchboard.resilience.EventPublisher;
import dev.switchboard.resilience.ExceptionContext;
import dev.switchboard.resilience.FailureReason;
import dev.switchboard.resilience.PatternType;
import dev.switchboard.resilience.RateLimiter;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link RedisRateLimiter}: sends {@link TokenBucketScript} by EVALSHA (EVAL when Redis answers
 * NOSCRIPT, which also caches it again), bounds the wait with the command timeout, and applies the
 * failure mode. Thread-safe: every field is final or volatile, and one Lettuce connection carries
 * any number of concurrent commands.
 */
final class RedisRateLimiterImpl implements RedisRateLimiter {

  private final String name;
  private final RedisRateLimiterConfig config;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisAsyncCommands<String, String> commands;

  /** Closes what the limiter owns; a no-op on a caller's connection. */
  private final Runnable release;

  private final TokenBucketScript script;
  private final EventPublisher<RedisRateLimiterEvent> events;
  private final FailureLog failureLog;
  private final long timeoutNanos;
  private volatile boolean closed;

  RedisRateLimiterImpl(
      String name,
      StatefulRedisConnection<String, String> connection,
      RedisRateLimiterConfig config,
      Runnable release) {
    this.name = Objects.requireNonNull(name, "name");
    this.config = Objects.requireNonNull(config, "config");
    this.connection = Objects.requireNonNull(connection, "connection");
    this.commands = connection.async();
    this.release = release;
    this.script = new TokenBucketScript(config);
    this.events = new EventPublisher<>(config.eventBus());
    this.failureLog = new FailureLog(name, config.failureMode(), config.ticker());
    this.timeoutNanos = config.commandTimeout().toNanos();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public RedisRateLimiterConfig config() {
    return config;
  }

  @Override
  public EventPublisher<RedisRateLimiterEvent> events() {
    return events;
  }

  @Override
  public RateLimiter.Result tryAcquire(String key, int permits) {
    try {
      // Bounded: the stage completes within the command timeout.
      return tryAcquireAsync(key, permits).toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException thrown) {
        throw thrown;
      }
      throw e;
    }
  }

  @Override
  public CompletionStage<RateLimiter.Result> tryAcquireAsync(String key, int permits) {
    Objects.requireNonNull(key, "key");
    if (permits < 1 || permits > config.burst()) {
      throw new IllegalArgumentException(
          "permits must be between 1 and the burst " + config.burst() + ", got " + permits);
    }
    if (closed) {
      throw new IllegalStateException("redis rate limiter '" + name + "' is closed");
    }
    CompletableFuture<RateLimiter.Result> result = new CompletableFuture<>();
    if (!connection.isOpen()) {
      // Lettuce would queue the command until it reconnects; decide now instead of after the
      // timeout.
      complete(result, key, permits, null, new RedisConnectionException("not connected to Redis"));
      return result;
    }
    evaluate(config.keyPrefix() + key, script.arguments(permits))
        .thenApply(TokenBucketScript::decode)
        .whenComplete((answer, failure) -> complete(result, key, permits, answer, failure));
    return result;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      release.run();
    }
  }

  @Override
  public String toString() {
    return "RedisRateLimiter[" + name + ", " + config + "]";
  }

  private CompletableFuture<List<Object>> evaluate(String redisKey, String[] args) {
    String[] keys = {redisKey};
    try {
      RedisFuture<List<Object>> sha =
          commands.evalsha(TokenBucketScript.SHA1, ScriptOutputType.MULTI, keys, args);
      CompletableFuture<List<Object>> reply =
          sha.toCompletableFuture()
              .exceptionallyCompose(
                  e ->
                      isNoScript(e)
                          ? commands
                              .<List<Object>>eval(
                                  TokenBucketScript.SOURCE, ScriptOutputType.MULTI, keys, args)
                              .toCompletableFuture()
                          : CompletableFuture.failedFuture(e));
      // A command we stopped waiting for may still be queued (Lettuce buffers commands while
      // reconnecting):
      // cancel it so that it is not sent later to take tokens nobody asked for any more.
      reply
          .orTimeout(timeoutNanos, TimeUnit.NANOSECONDS)
          .whenComplete(
              (answer, failure) -> {
                if (failure instanceof TimeoutException) {
                  sha.cancel(false);
                }
              });
      return reply;
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Completes {@code result} from Redis' answer, or from the failure mode when {@code failure} is
   * set.
   */
  private void complete(
      CompletableFuture<RateLimiter.Result> result,
      String key,
      int permits,
      RateLimiter.Result answer,
      Throwable failure) {
    try {
      result.complete(
          failure == null ? answered(key, permits, answer) : failed(key, permits, unwrap(failure)));
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
  }

  private RateLimiter.Result answered(String key, int permits, RateLimiter.Result answer) {
    failureLog.answered();
    if (events.isObserved()) {
      long now = config.ticker().nanos();
      if (answer.granted()) {
        events.emit(
            () -> new RedisRateLimiterEvent.Acquired(name, now, key, permits, answer.remaining()));
      } else {
        events.emit(
            () ->
                new RedisRateLimiterEvent.Rejected(
                    name, now, key, permits, answer.retryAfterNanos()));
      }
    }
    return answer;
  }

  private RateLimiter.Result failed(String key, int permits, Throwable cause) {
    FailureMode mode = config.failureMode();
    failureLog.failed(cause);
    long now = config.ticker().nanos();
    events.emit(() -> new RedisRateLimiterEvent.RedisFailed(name, now, key, permits, mode, cause));
    FailureReason reason =
        cause instanceof RedisCommandTimeoutException
            ? FailureReason.TIMEOUT
            : FailureReason.CALL_FAILED;
    ExceptionContext context =
        new ExceptionContext(
            name,
            PatternType.RATE_LIMITER,
            reason,
            Optional.of(cause),
            Map.of("key", key, "permits", permits, "failureMode", mode));
    return switch (mode) {
      case OPEN -> {
        config.exceptionHandling().report(context);
        yield new RateLimiter.Result(true, 0, 0, 0, 0);
      }
      case CLOSED -> {
        config.exceptionHandling().report(context);
        long tokenNanos = Math.ceilDiv(config.period().toNanos(), config.rate());
        yield new RateLimiter.Result(
            false,
            0,
            tokenNanos,
            saturatedTimes(tokenNanos, permits),
            saturatedTimes(tokenNanos, config.burst()));
      }
      case THROW ->
          throw config
              .exceptionHandling()
              .onFailure(context, new RedisRateLimiterException(name, cause));
    };
  }

  private Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof TimeoutException) {
      return new RedisCommandTimeoutException(
          "Redis did not answer within " + config.commandTimeout());
    }
    return cause;
  }

  private static boolean isNoScript(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return cause instanceof RedisNoScriptException
        || (cause.getMessage() != null && cause.getMessage().startsWith("NOSCRIPT"));
  }

  private static long saturatedTimes(long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
