package dev.switchboard.gateway;

import java.time.Instant;

/**
 * The answers of sends made with an idempotency key, so that a repeat within {@link
 * DeliveryLimits#idempotencyTtl()} (5 minutes by default) gets the first answer and sends nothing.
 * At most {@link DeliveryLimits#idempotencyMaxKeys()} keys are kept; a new key beyond that is
 * refused ({@link Claim.Full}) rather than forgetting one still in its window. Part of a {@link
 * DeliveryStore}.
 *
 * <p>A sender {@link #claim claims} a key, sends, then {@link #complete completes} it with its
 * answer (or {@link #release releases} it when the send failed, so that a retry may send). Every
 * method takes the current time instead of reading a clock. Thread-safe; a key is claimed by one
 * caller at a time.
 */
public interface IdempotencyKeys {

  /** What a claim found. */
  sealed interface Claim {
    /** The key is the caller's: send, then complete or release it. */
    record Claimed() implements Claim {}

    /** The key was used for the same request; this was its answer. */
    record Answered(byte[] answer) implements Claim {}

    /** The key was claimed for the same request, whose send has not finished yet. */
    record InProgress() implements Claim {}

    /** The key was used for a different request (another fingerprint). */
    record Mismatch() implements Claim {}

    /** No room for another key. */
    record Full() implements Claim {}
  }

  /**
   * Claims {@code key} for the request whose fingerprint (a digest of what it asks) is {@code
   * fingerprint}.
   */
  Claim claim(String key, String fingerprint, Instant now);

  /** Keeps {@code answer} for the key's window; a repeat gets it. */
  void complete(String key, byte[] answer, Instant now);

  /** Forgets a claimed key whose send failed. */
  void release(String key);

  /** Keys kept now (claimed or answered). */
  long size(Instant now);
}
