package dev.switchboard.redis;

import dev.switchboard.resilience.CircuitBreakerConfig;
import io.lettuce.core.RedisURI;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * How one node reaches Redis and names itself in the cluster.
 *
 * @param uri where Redis is: {@code redis://[user:password@]host:port[/db]}, {@code rediss://} for
 *     TLS
 * @param nodeId this node's name in the cluster, unique among the nodes sharing {@code keyPrefix}
 * @param keyPrefix the start of every key and channel this engine uses ({@code switchboard:} by
 *     default), so that clusters (or tests) can share one Redis
 * @param commandTimeout the longest a command may take before it counts as failed (2 s by default)
 * @param requestQueueSize the most commands one connection keeps waiting for their answers (10,000
 *     by default; beyond that a command fails at once rather than queue)
 * @param reconnectMin the first reconnect delay after a lost connection (100 ms by default)
 * @param reconnectMax the longest reconnect delay (5 s by default); delays double from {@code
 *     reconnectMin} up to it, each drawn with equal jitter (half fixed, half random)
 * @param breaker the circuit breaker every Redis call goes through
 */
public record RedisSettings(
    RedisURI uri,
    String nodeId,
    String keyPrefix,
    Duration commandTimeout,
    int requestQueueSize,
    Duration reconnectMin,
    Duration reconnectMax,
    CircuitBreakerConfig breaker) {

  /** The key prefix unless set: {@value}. */
  public static final String DEFAULT_KEY_PREFIX = "switchboard:";

  public RedisSettings {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    Objects.requireNonNull(reconnectMin, "reconnectMin");
    Objects.requireNonNull(reconnectMax, "reconnectMax");
    Objects.requireNonNull(breaker, "breaker");
    checkNodeId(nodeId);
    if (commandTimeout.isNegative() || commandTimeout.isZero()) {
      throw new IllegalArgumentException("the command timeout must be positive");
    }
    if (requestQueueSize < 1) {
      throw new IllegalArgumentException("the request queue size must be at least 1");
    }
    if (reconnectMin.isNegative()
        || reconnectMin.isZero()
        || reconnectMax.compareTo(reconnectMin) < 0) {
      throw new IllegalArgumentException(
          "reconnect delays must be positive, the max at least the min");
    }
  }

  /**
   * The defaults for {@code url} and {@code nodeId}.
   *
   * @throws IllegalArgumentException when {@code url} is not a {@code redis://} or {@code
   *     rediss://} URL
   */
  public static RedisSettings of(String url, String nodeId) {
    return new RedisSettings(
        parse(url),
        nodeId,
        DEFAULT_KEY_PREFIX,
        Duration.ofSeconds(2),
        10_000,
        Duration.ofMillis(100),
        Duration.ofSeconds(5),
        defaultBreaker());
  }

  public RedisSettings withKeyPrefix(String prefix) {
    return new RedisSettings(
        uri, nodeId, prefix, commandTimeout, requestQueueSize, reconnectMin, reconnectMax, breaker);
  }

  public RedisSettings withNodeId(String id) {
    return new RedisSettings(
        uri, id, keyPrefix, commandTimeout, requestQueueSize, reconnectMin, reconnectMax, breaker);
  }

  public RedisSettings withCommandTimeout(Duration timeout) {
    return new RedisSettings(
        uri, nodeId, keyPrefix, timeout, requestQueueSize, reconnectMin, reconnectMax, breaker);
  }

  /**
   * Opens after 5 failures in a row or half the calls of the last 50 failing, waits 1 s (±20%)
   * before letting 3 trial calls through.
   */
  public static CircuitBreakerConfig defaultBreaker() {
    return CircuitBreakerConfig.builder()
        .consecutiveFailureThreshold(5)
        .slidingWindowSize(50)
        .minimumNumberOfCalls(20)
        .failureRateThreshold(50)
        .waitDurationInOpenState(Duration.ofSeconds(1))
        .openWaitJitter(0.2)
        .permittedCallsInHalfOpenState(3)
        .build();
  }

  /**
   * Reads a Redis URL.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static RedisURI parse(String url) {
    Objects.requireNonNull(url, "url");
    if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
      throw new IllegalArgumentException(
          "redis.url must start with redis:// or rediss://, got \"" + redact(url) + "\"");
    }
    try {
      return RedisURI.create(url);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "redis.url is not a Redis URL (" + e.getMessage() + "): \"" + redact(url) + "\"", e);
    }
  }

  /** {@code url} without its password, for messages and logs. */
  public static String redact(String url) {
    return url.replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@");
  }

  /**
   * Checks a node id: 1 to 128 characters, none a space or a control character.
   *
   * @return {@code nodeId}
   * @throws IllegalArgumentException naming {@code cluster.node_id} and what was given
   */
  public static String checkNodeId(String nodeId) {
    Objects.requireNonNull(nodeId, "nodeId");
    if (nodeId.isBlank() || nodeId.length() > 128 || nodeId.chars().anyMatch(c -> c <= ' ')) {
      throw new IllegalArgumentException(
          "cluster.node_id must be 1 to 128 characters without spaces, got \"" + nodeId + "\"");
    }
    return nodeId;
  }

  /** This host's name ({@code localhost} when it has none): a node id's default starts with it. */
  public static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
