package dev.switchboard.rpc;

import dev.switchboard.resilience.RateLimiter;
import dev.switchboard.resilience.RateLimiterConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One connection's {@link RpcConfig#messageRate()}: each message the peer sends (but one holding
 * only answers to our calls) takes a token. A message without a token is refused, and each refusal
 * takes one from a second bucket, the {@link RpcConfig#maxRefusedMessages() allowance}, which
 * refills at a tenth of its size per second; once that is empty too, the peer is abusing the
 * connection and is cut off.
 */
final class MessageGate {

  /** What to do with one message. */
  sealed interface Verdict {}

  record Admit() implements Verdict {}

  /** Do not run it; the next message would be admitted after {@code retryAfterMillis}. */
  record Refuse(long retryAfterMillis) implements Verdict {}

  /** Close the connection (1008) with {@code reason}. */
  record Disconnect(String reason) implements Verdict {}

  static final Admit ADMIT = new Admit();
  static final MessageGate UNLIMITED = new MessageGate(null, null, "");

  /** Null when unlimited (package-private class: the nulls stay here). */
  private final RateLimiter messages;

  private final RateLimiter refusals;
  private final String abuse;

  private MessageGate(RateLimiter messages, RateLimiter refusals, String abuse) {
    this.messages = messages;
    this.refusals = refusals;
    this.abuse = abuse;
  }

  static MessageGate of(RpcConfig config) {
    if (config.messageRate().isEmpty()) {
      return UNLIMITED;
    }
    RateLimiterConfig rate = config.messageRate().get();
    int allowance = config.maxRefusedMessages();
    RateLimiterConfig refused =
        RateLimiterConfig.builder()
            .rate(allowance)
            .period(Duration.ofSeconds(10))
            .burst(allowance)
            .ticker(rate.ticker())
            .build();
    String abuse =
        "too many messages: over "
            + rate.rate()
            + " per "
            + describe(rate.period())
            + " after "
            + allowance
            + " refusals";
    return new MessageGate(
        RateLimiter.of("messages", rate), RateLimiter.of("refused-messages", refused), abuse);
  }

  Verdict check() {
    if (messages == null) {
      return ADMIT;
    }
    RateLimiter.Result taken = messages.tryAcquire();
    if (taken.granted()) {
      return ADMIT;
    }
    if (!refusals.tryAcquire().granted()) {
      return new Disconnect(abuse);
    }
    return new Refuse(
        Math.max(1, TimeUnit.NANOSECONDS.toMillis(taken.retryAfterNanos() + 999_999)));
  }

  private static String describe(Duration period) {
    return period.equals(Duration.ofSeconds(1)) ? "second" : period.toString();
  }
}
