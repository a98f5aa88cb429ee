package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.DeliveryLimits;
import dev.switchboard.gateway.DeliveryStore;
import dev.switchboard.gateway.IdempotencyKeys;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a send with an idempotency key runs once: the first request sends, a repeat gets its answer,
 * a repeat that arrives while the first is still sending waits for it (409 past the wait), a send
 * that failed keeps nothing, and the key table's bound is a 503. The keys live in the in-memory
 * delivery store; the clock is the test's.
 */
class IdempotentSendsTest {

  private static final Duration TTL = Duration.ofMinutes(5);
  private static final JsonNode BODY = PushHttp.parse("{\"target_user_id\":\"alice\"}");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final AtomicInteger sends = new AtomicInteger();

  /** Requests run here, each on its own thread (the common pool may have one on 2 cores). */
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  /** How many claims found their key still being sent: a repeat that is waiting. */
  private final AtomicInteger waited = new AtomicInteger();

  private IdempotentSends sends(int maxKeys, Duration waitForFirst) {
    DeliveryLimits d = DeliveryLimits.DEFAULTS;
    DeliveryLimits limits =
        new DeliveryLimits(
            d.historySize(),
            d.historyTtl(),
            d.historyMaxChannels(),
            d.queueSize(),
            d.queueTtl(),
            d.queueMaxUsers(),
            d.ackTimeout(),
            d.acksMaxPending(),
            TTL,
            maxKeys);
    IdempotencyKeys keys = DeliveryStore.inMemory(limits).idempotency();
    IdempotencyKeys counting =
        new IdempotencyKeys() {
          @Override
          public Claim claim(String key, String fingerprint, Instant now) {
            Claim claim = keys.claim(key, fingerprint, now);
            if (claim instanceof Claim.InProgress) {
              waited.incrementAndGet();
            }
            return claim;
          }

          @Override
          public void complete(String key, byte[] answer, Instant now) {
            keys.complete(key, answer, now);
          }

          @Override
          public void release(String key) {
            keys.release(key);
          }

          @Override
          public long size(Instant now) {
            return keys.size(now);
          }
        };
    return new IdempotentSends(counting, TTL, clock, waitForFirst);
  }

  /** A send that answers with its own number. */
  private JsonNode send() {
    return Json.nodes().objectNode().put("send", sends.incrementAndGet());
  }

  private static Optional<String> key(String key) {
    return Optional.of(key);
  }

  @Test
  void aRepeatGetsTheFirstAnswerAndSendsNothingUntilTheKeyExpires() {
    IdempotentSends idempotent = sends(10, Duration.ofSeconds(1));

    JsonNode first = idempotent.send(key("k1"), "send", BODY, this::send);
    JsonNode repeat = idempotent.send(key("k1"), "send", BODY, this::send);
    clock.advance(TTL.plusSeconds(1));
    JsonNode afterTtl = idempotent.send(key("k1"), "send", BODY, this::send);

    assertThat(repeat).isEqualTo(first);
    assertThat(afterTtl.get("send").asInt())
        .as("a new send once the key is forgotten")
        .isEqualTo(2);
  }

  @Test
  void theSameKeyForAnotherRequestIs422AndSendsNothing() {
    IdempotentSends idempotent = sends(10, Duration.ofSeconds(1));
    idempotent.send(key("k1"), "send", BODY, this::send);

    ApiException other =
        catchThrowableOfType(
            ApiException.class, () -> idempotent.send(key("k1"), "broadcast", BODY, this::send));

    assertThat(other.status()).isEqualTo(422);
    assertThat(other.getMessage()).contains("k1").contains("different request");
    assertThat(sends.get()).isEqualTo(1);
  }

  @Test
  void aSendThatFailedKeepsNothingSoARetryWithTheSameKeySends() {
    IdempotentSends idempotent = sends(10, Duration.ofSeconds(1));
    Supplier<JsonNode> failing =
        () -> {
          throw new ApiException(503, "UNAVAILABLE", "the broker is down", Optional.empty());
        };

    ApiException failed =
        catchThrowableOfType(
            ApiException.class, () -> idempotent.send(key("k1"), "send", BODY, failing));
    JsonNode retry = idempotent.send(key("k1"), "send", BODY, this::send);

    assertThat(failed.status()).isEqualTo(503);
    assertThat(retry.get("send").asInt()).isEqualTo(1);
  }

  @Test
  void aRepeatArrivingWhileTheFirstIsSendingWaitsForItsAnswer() throws Exception {
    IdempotentSends idempotent = sends(10, Duration.ofSeconds(10));
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<JsonNode> first = sendingUntil(idempotent, finish);
    CompletableFuture<JsonNode> repeat =
        CompletableFuture.supplyAsync(
            () -> idempotent.send(key("k1"), "send", BODY, this::send), threads);
    Awaitility.await("the repeat to find the first still sending").until(() -> waited.get() > 0);

    finish.countDown();

    assertThat(repeat.get(5, TimeUnit.SECONDS)).isEqualTo(first.get(5, TimeUnit.SECONDS));
    assertThat(sends.get()).isEqualTo(1);
  }

  @Test
  void aRepeatWaitingLongerThanTheWaitForTheFirstIs409() throws Exception {
    IdempotentSends idempotent = sends(10, Duration.ofMillis(100));
    CountDownLatch finish = new CountDownLatch(1);
    CompletableFuture<JsonNode> first = sendingUntil(idempotent, finish);

    ApiException conflict =
        catchThrowableOfType(
            ApiException.class, () -> idempotent.send(key("k1"), "send", BODY, this::send));
    finish.countDown();

    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.code()).isEqualTo("CONFLICT");
    assertThat(first.get(5, TimeUnit.SECONDS).get("send").asInt()).isEqualTo(1);
    assertThat(sends.get()).as("the repeat sent nothing").isEqualTo(1);
  }

  @Test
  void moreKeysThanTheBoundIs503AndASendWithoutAKeyStillGoesThrough() {
    IdempotentSends idempotent = sends(1, Duration.ofSeconds(1));
    idempotent.send(key("k1"), "send", BODY, this::send);

    ApiException full =
        catchThrowableOfType(
            ApiException.class, () -> idempotent.send(key("k2"), "send", BODY, this::send));
    JsonNode withoutKey = idempotent.send(Optional.empty(), "send", BODY, this::send);

    assertThat(full.status()).isEqualTo(503);
    assertThat(full.getMessage()).contains("idempotency.max_keys");
    assertThat(withoutKey.get("send").asInt()).isEqualTo(2);
  }

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  /**
   * Starts a send with key {@code k1} on its own thread and returns once it is sending; it finishes
   * when {@code finish} is counted down.
   */
  private CompletableFuture<JsonNode> sendingUntil(
      IdempotentSends idempotent, CountDownLatch finish) throws InterruptedException {
    CountDownLatch sending = new CountDownLatch(1);
    CompletableFuture<JsonNode> first =
        CompletableFuture.supplyAsync(
            () ->
                idempotent.send(
                    key("k1"),
                    "send",
                    BODY,
                    () -> {
                      sending.countDown();
                      await(finish);
                      return send();
                    }),
            threads);
    assertThat(sending.await(5, TimeUnit.SECONDS)).as("the first send began").isTrue();
    return first;
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
