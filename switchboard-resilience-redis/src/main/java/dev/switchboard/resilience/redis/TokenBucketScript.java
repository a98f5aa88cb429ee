package dev.switchboard.resilience.redis;

import dev.switchboard.resilience.RateLimiter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The Lua token bucket ({@code token-bucket.lua}) and its protocol: the arguments a config gives it
 * and the {@link RateLimiter.Result} its reply means. Knows nothing of connections. Immutable.
 *
 * <p>The script counts in integer units chosen so that both a token and one microsecond's refill
 * are whole: with {@code g = gcd(rate, period in us)}, a token is {@code period/g} units and each
 * microsecond adds {@code rate/g}. Nothing is ever rounded, so any number of requests in one
 * microsecond are each counted.
 */
final class TokenBucketScript {

  static final String SOURCE = load("token-bucket.lua");

  /** What EVALSHA names the script by: the SHA-1 of its text, as Redis computes it. */
  static final String SHA1 = sha1(SOURCE);

  private final String unit;
  private final String refill;
  private final String capacity;

  TokenBucketScript(RedisRateLimiterConfig config) {
    long periodMicros = config.periodMicros();
    long g =
        BigInteger.valueOf(config.rate()).gcd(BigInteger.valueOf(periodMicros)).longValueExact();
    long unitsPerToken = periodMicros / g;
    this.unit = Long.toString(unitsPerToken);
    this.refill = Long.toString(config.rate() / g);
    // burst * periodMicros <= 2^53 is checked by the config, and unitsPerToken <= periodMicros
    this.capacity = Long.toString(config.burst() * unitsPerToken);
  }

  /** ARGV for a request of {@code permits}. */
  String[] arguments(int permits) {
    return new String[] {unit, refill, capacity, Integer.toString(permits)};
  }

  /**
   * The script's reply {@code {granted, remaining, us to next token, us to retry, us to full}} as a
   * result.
   *
   * @throws IllegalStateException if the reply has another shape (not our script, or a changed one)
   */
  static RateLimiter.Result decode(List<?> reply) {
    Objects.requireNonNull(reply, "reply");
    if (reply.size() != 5 || !reply.stream().allMatch(Long.class::isInstance)) {
      throw new IllegalStateException("unexpected reply from the token bucket script: " + reply);
    }
    return new RateLimiter.Result(
        (Long) reply.get(0) == 1,
        Math.toIntExact((Long) reply.get(1)),
        nanos(reply.get(2)),
        nanos(reply.get(3)),
        nanos(reply.get(4)));
  }

  private static long nanos(Object micros) {
    return TimeUnit.MICROSECONDS.toNanos((Long) micros);
  }

  private static String load(String resource) {
    try (InputStream in = TokenBucketScript.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "missing resource " + resource + " next to " + TokenBucketScript.class);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static String sha1(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(
          "this JVM has no SHA-1, which every Java platform must provide", e);
    }
  }
}
