package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.IdempotencyKeys;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.jsonrpc.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sends made with an idempotency key: the first is sent and its answer kept for {@code
 * idempotency.ttl_seconds} (5 minutes by default); a repeat of the same request with the same key
 * gets that answer and sends nothing. The key names one request: reused with a different body it is
 * refused (422), and a repeat that arrives while the first is still being sent waits for its answer
 * (409 if that takes longer than {@link #WAIT_FOR_FIRST}). A send that fails (503, say) keeps
 * nothing, so a retry sends.
 */
final class IdempotentSends {

  /** Longest a key is: as long as Stripe's and IETF's draft allow, and bounded in memory. */
  static final int MAX_KEY_LENGTH = 255;

  /** How long a repeat waits for the first request with its key to finish. */
  static final Duration WAIT_FOR_FIRST = Duration.ofSeconds(10);

  private static final Duration POLL = Duration.ofMillis(20);

  private final IdempotencyKeys keys;
  private final Duration ttl;
  private final Clock clock;
  private final Duration waitForFirst;

  IdempotentSends(IdempotencyKeys keys, Duration ttl, Clock clock) {
    this(keys, ttl, clock, WAIT_FOR_FIRST);
  }

  /** With another wait for the first request than {@link #WAIT_FOR_FIRST} (tests). */
  IdempotentSends(IdempotencyKeys keys, Duration ttl, Clock clock, Duration waitForFirst) {
    this.keys = keys;
    this.ttl = ttl;
    this.clock = clock;
    this.waitForFirst = waitForFirst;
  }

  /**
   * {@code key} in {@code tenant}'s namespace: two tenants' sends with the same key are two sends.
   * The default tenant's keys stay as they are.
   */
  static Optional<String> in(Tenant tenant, Optional<String> key) {
    return tenant.isDefault() ? key : key.map(k -> tenant.id() + "~" + k);
  }

  /**
   * The key of a send: {@code idempotency_key} of {@code body}, else the request's {@code
   * Idempotency-Key} header.
   *
   * @throws ApiException 422 when the key is not a string of 1-255 printable ASCII characters
   */
  static Optional<String> key(JsonNode body, Optional<String> header) {
    JsonNode field = body.get("idempotency_key");
    Optional<String> key =
        field == null || field.isNull()
            ? header
            : Optional.of(NotificationRequest.text(body, "idempotency_key"));
    key.ifPresent(IdempotentSends::check);
    return key;
  }

  private static void check(String key) {
    boolean printable = key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !printable) {
      throw ApiException.invalid(
          "idempotency_key must be 1-"
              + MAX_KEY_LENGTH
              + " printable ASCII characters without spaces, got \""
              + (key.length() > 40 ? key.substring(0, 40) + "…" : key)
              + "\"");
    }
  }

  /**
   * Runs {@code send} once per {@code key}: without a key, always; with one, the first time, and a
   * repeat of the same {@code action} and {@code body} gets the first answer.
   */
  JsonNode send(Optional<String> key, String action, JsonNode body, Supplier<JsonNode> send) {
    if (key.isEmpty()) {
      return send.get();
    }
    String k = key.get();
    String fingerprint = fingerprint(action, body);
    long deadline = System.nanoTime() + waitForFirst.toNanos();
    while (true) {
      switch (keys.claim(k, fingerprint, clock.instant())) {
        case IdempotencyKeys.Claim.Claimed claimed -> {
          JsonNode answer;
          try {
            answer = send.get();
          } catch (RuntimeException e) {
            keys.release(k);
            throw e;
          }
          keys.complete(k, answer.toString().getBytes(StandardCharsets.UTF_8), clock.instant());
          return answer;
        }
        case IdempotencyKeys.Claim.Answered answered -> {
          return parse(answered.answer());
        }
        case IdempotencyKeys.Claim.Mismatch mismatch ->
            throw ApiException.invalid(
                "idempotency key \""
                    + k
                    + "\" was used for a different request in the last "
                    + ttlText()
                    + "; use a new key for a new request");
        case IdempotencyKeys.Claim.Full full ->
            throw new ApiException(
                503,
                "UNAVAILABLE",
                "too many idempotency keys are remembered now ("
                    + "idempotency.max_keys); retry later or send without a key",
                Optional.empty());
        case IdempotencyKeys.Claim.InProgress inProgress -> {
          if (System.nanoTime() - deadline >= 0) {
            throw new ApiException(
                409,
                "CONFLICT",
                "a request with idempotency key \"" + k + "\" is still being sent; retry later",
                Optional.empty());
          }
          pause();
        }
      }
    }
  }

  private String ttlText() {
    return ttl.toSeconds() + " s";
  }

  private static void pause() {
    try {
      Thread.sleep(POLL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.shuttingDown();
    }
  }

  /** A digest of what the request asks: the endpoint and the body as sent. */
  static String fingerprint(String action, JsonNode body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(action.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(body.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static JsonNode parse(byte[] answer) {
    try {
      return Json.mapper().readTree(answer);
    } catch (IOException e) {
      throw new UncheckedIOException("a kept answer is not JSON", e);
    }
  }
}
