package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The pieces of {@link PushClient} that need no server: backoff, tokens, URIs, dedup. */
class PushClientPartsTest {

  @Test
  void backoffDrawsFullJitterUnderADoublingCeilingThatStopsAtTheMaximum() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
    Random random = new Random(7);
    for (int attempt = 0; attempt < 40; attempt++) {
      long ceiling = Math.min(1000, 100L << Math.min(attempt, 30));
      for (int i = 0; i < 200; i++) {
        assertThat(backoff.delay(attempt, random).toMillis()).isBetween(0L, ceiling);
      }
    }
    // Full jitter: the draws spread over the whole range, not around the ceiling.
    long low = 0;
    for (int i = 0; i < 1000; i++) {
      low += backoff.delay(10, random).toMillis() < 500 ? 1 : 0;
    }
    assertThat(low).isBetween(350L, 650L);
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("base");
  }

  @Test
  void deliveryKeepsTheOrderWhenItsQueueIsFullByHoldingBackTheSubmitter() throws Exception {
    Executor delivery = SerialDelivery.create(2);
    List<Integer> ran = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    delivery.execute(
        () -> {
          awaitQuietly(release);
          ran.add(0);
        });
    Thread submitter =
        Thread.ofVirtual()
            .start(
                () -> {
                  for (int i = 1; i <= 10; i++) {
                    int n = i;
                    delivery.execute(() -> ran.add(n));
                  }
                });
    // One task running, two queued: the submitter waits for room rather than running task 3.
    Awaitility.await().until(() -> submitter.getState() == Thread.State.WAITING);
    assertThat(ran).isEmpty();
    release.countDown();
    submitter.join(Duration.ofSeconds(10));
    Awaitility.await().until(() -> ran.size() == 11);
    assertThat(ran).isEqualTo(IntStream.rangeClosed(0, 10).boxed().toList());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aTokenIsRefreshedAtThreeQuartersOfItsLife() {
    Instant iat = Instant.parse("2026-12-07T10:00:00Z");
    String jwt =
        jwt(
            "{\"sub\":\"ann\",\"iat\":"
                + iat.getEpochSecond()
                + ",\"exp\":"
                + iat.plusSeconds(400).getEpochSecond()
                + "}");
    assertThat(TokenLife.refreshIn(jwt, iat)).contains(Duration.ofSeconds(300));
    assertThat(TokenLife.refreshIn(jwt, iat.plusSeconds(350))).contains(Duration.ZERO);
    assertThat(TokenLife.refreshIn(jwt("{\"sub\":\"ann\"}"), iat)).isEmpty();
    assertThat(TokenLife.refreshIn("not a jwt", iat)).isEmpty();
  }

  @Test
  void theTokenGoesInTheQueryReplacingAnyThere() {
    assertThat(TokenLife.inQuery(URI.create("ws://h:1/ws"), "a.b.c"))
        .isEqualTo(URI.create("ws://h:1/ws?token=a.b.c"));
    assertThat(TokenLife.inQuery(URI.create("ws://h:1/ws?ack=1&token=old"), "new+"))
        .isEqualTo(URI.create("ws://h:1/ws?ack=1&token=new%2B"));
  }

  @Test
  void onlyA401Or403EndsTheAttempts() {
    assertThat(
            PushClient.refusedForGood(
                new RuntimeException(
                    "x", new RuntimeException("handshake refused: HTTP/1.1 401 Unauthorized"))))
        .isTrue();
    assertThat(PushClient.refusedForGood(new RuntimeException("connection refused"))).isFalse();
    assertThat(PushClient.refusedForGood(new RuntimeException("HTTP/1.1 503"))).isFalse();
  }

  @Test
  void anIdSeenAmongTheLastOnesIsDropped() {
    SeenIds seen = new SeenIds(2);
    assertThat(seen.firstTime("a")).isTrue();
    assertThat(seen.firstTime("a")).isFalse();
    seen.firstTime("b");
    seen.firstTime("c"); // a falls out of the window
    assertThat(seen.firstTime("a")).isTrue();
  }

  private static String jwt(String claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
        + ".sig";
  }
}
