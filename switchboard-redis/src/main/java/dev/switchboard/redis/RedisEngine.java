package dev.switchboard.redis;

import dev.switchboard.gateway.SharedStateException;
import dev.switchboard.resilience.CallNotPermittedException;
import dev.switchboard.resilience.CircuitBreaker;
import dev.switchboard.resilience.CircuitState;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One node's connection to Redis, which every Redis store of this node shares: two multiplexed
 * connections (keys as strings; values as bytes or as strings), a pub/sub connection per subscriber
 * that asks, and one circuit breaker that every call goes through.
 *
 * <p>While Redis cannot be reached, Lettuce reconnects by itself, waiting between attempts from
 * {@link RedisSettings#reconnectMin} doubling up to {@link RedisSettings#reconnectMax}, with equal
 * jitter (so that nodes do not all come back at once); commands are refused at once rather than
 * buffered ({@code DisconnectedBehavior.REJECT_COMMANDS}), at most {@link
 * RedisSettings#requestQueueSize} wait for their answers, and each fails after {@link
 * RedisSettings#commandTimeout}. Failed calls open the breaker, which then refuses calls without
 * sending them until its trial calls succeed. A call that fails, for any of these reasons, fails
 * with {@link SharedStateException} saying why.
 *
 * <p>Thread-safe. {@link #call} blocks (virtual threads, never an event loop); {@link #callAsync}
 * never does.
 */
public final class RedisEngine implements AutoCloseable {

  private static final RedisCodec<String, byte[]> BYTES =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private final RedisSettings settings;
  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> bytes;
  private final StatefulRedisConnection<String, String> strings;
  private final CircuitBreaker breaker;

  private RedisEngine(
      RedisSettings settings,
      ClientResources resources,
      RedisClient client,
      StatefulRedisConnection<String, byte[]> bytes,
      StatefulRedisConnection<String, String> strings) {
    this.settings = settings;
    this.resources = resources;
    this.client = client;
    this.bytes = bytes;
    this.strings = strings;
    this.breaker = CircuitBreaker.of("redis", settings.breaker());
  }

  /**
   * Connects to Redis as {@code settings} say; blocks until connected.
   *
   * @throws SharedStateException when Redis cannot be reached now
   */
  public static RedisEngine connect(RedisSettings settings) {
    Objects.requireNonNull(settings, "settings");
    ClientResources resources =
        ClientResources.builder()
            .reconnectDelay(
                Delay.equalJitter(
                    settings.reconnectMin(), settings.reconnectMax(), 2, TimeUnit.MILLISECONDS))
            .build();
    RedisClient client =
        RedisClient.create(
            resources,
            RedisURI.builder(settings.uri()).withTimeout(settings.commandTimeout()).build());
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS)
            .requestQueueSize(settings.requestQueueSize())
            .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
            .build());
    try {
      StatefulRedisConnection<String, byte[]> bytes = client.connect(BYTES);
      StatefulRedisConnection<String, String> strings = client.connect(StringCodec.UTF8);
      return new RedisEngine(settings, resources, client, bytes, strings);
    } catch (RuntimeException e) {
      client.shutdown();
      resources.shutdown();
      throw new SharedStateException(
          "cannot reach Redis at "
              + settings.uri().getHost()
              + ":"
              + settings.uri().getPort()
              + ": "
              + rootMessage(e),
          e);
    }
  }

  public RedisSettings settings() {
    return settings;
  }

  public String nodeId() {
    return settings.nodeId();
  }

  /**
   * The key (or pub/sub channel) named by {@code parts}: the prefix, then the parts joined by ':'.
   */
  public String key(String... parts) {
    return settings.keyPrefix() + String.join(":", parts);
  }

  /** The connection whose values are bytes (messages, scripts' arguments). */
  public StatefulRedisConnection<String, byte[]> bytes() {
    return bytes;
  }

  /** The connection whose values are strings (the rate limiter's, templates, presence). */
  public StatefulRedisConnection<String, String> strings() {
    return strings;
  }

  /** A new pub/sub connection, values as bytes, reconnecting (and resubscribing) by itself. */
  public StatefulRedisPubSubConnection<String, byte[]> pubSub() {
    return client.connectPubSub(BYTES);
  }

  /** The breaker every call goes through. */
  public CircuitBreaker breaker() {
    return breaker;
  }

  /** Whether Redis answers now: connected, and the breaker not open. */
  public boolean isUp() {
    CircuitState state = breaker.state();
    return bytes.isOpen() && state != CircuitState.OPEN && state != CircuitState.FORCED_OPEN;
  }

  /**
   * Runs {@code command} and waits for its answer, through the breaker.
   *
   * @param operation what the command does, for the error's message
   * @throws SharedStateException when Redis refuses, fails or does not answer in time
   */
  public <T> T call(
      String operation,
      Function<RedisAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> command) {
    if (!breaker.tryAcquirePermission()) {
      throw new SharedStateException(
          "Redis could not " + operation + ": circuit breaker open after failed calls");
    }
    long start = System.nanoTime();
    try {
      T answer =
          command
              .apply(bytes.async())
              .toCompletableFuture()
              .get(settings.commandTimeout().toNanos(), TimeUnit.NANOSECONDS);
      breaker.onSuccess(System.nanoTime() - start);
      return answer;
    } catch (ExecutionException e) {
      breaker.onError(System.nanoTime() - start, e.getCause());
      throw unavailable(operation, e.getCause());
    } catch (TimeoutException | RuntimeException e) {
      breaker.onError(System.nanoTime() - start, e);
      throw unavailable(operation, e);
    } catch (InterruptedException e) {
      breaker.releasePermission();
      Thread.currentThread().interrupt();
      throw unavailable(operation, e);
    }
  }

  /**
   * Runs {@code command} through the breaker without waiting; the stage fails with {@link
   * SharedStateException} as {@link #call} throws.
   */
  public <T> CompletionStage<T> callAsync(
      String operation,
      Function<RedisAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> command) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    breaker
        .<T>callAsync(
            () ->
                command
                    .apply(bytes.async())
                    .toCompletableFuture()
                    .orTimeout(settings.commandTimeout().toNanos(), TimeUnit.NANOSECONDS))
        .whenComplete(
            (value, error) -> {
              if (error == null) {
                answer.complete(value);
              } else {
                answer.completeExceptionally(unavailable(operation, unwrap(error)));
              }
            });
    return answer;
  }

  /**
   * Runs {@code script} by its SHA-1, sending it whole when Redis does not know it. For {@link
   * #call} and {@link #callAsync}.
   */
  public static <T> CompletionStage<T> eval(
      RedisAsyncCommands<String, byte[]> commands,
      LuaScript script,
      ScriptOutputType type,
      String[] keys,
      byte[]... args) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    commands
        .<T>evalsha(script.sha1(), type, keys, args)
        .whenComplete(
            (value, error) -> {
              if (error == null) {
                answer.complete(value);
              } else if (unwrap(error) instanceof RedisNoScriptException) {
                commands
                    .<T>eval(script.source(), type, keys, args)
                    .whenComplete(
                        (again, failed) -> {
                          if (failed == null) {
                            answer.complete(again);
                          } else {
                            answer.completeExceptionally(failed);
                          }
                        });
              } else {
                answer.completeExceptionally(error);
              }
            });
    return answer;
  }

  /** {@code value} as the bytes of its decimal digits, as Lua reads numbers. */
  public static byte[] number(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code value} in UTF-8. */
  public static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private SharedStateException unavailable(String operation, Throwable cause) {
    return new SharedStateException(
        "Redis could not " + operation + ": " + rootMessage(cause), cause);
  }

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static String rootMessage(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof TimeoutException) {
      return "no answer in time";
    }
    if (e instanceof CallNotPermittedException) {
      return "circuit breaker open after failed calls";
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  @Override
  public void close() {
    strings.close();
    bytes.close();
    client.shutdown();
    resources.shutdown();
  }
}
