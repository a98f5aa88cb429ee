package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.testing.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lease that picks the one node handling Ara triggers. */
class TriggerLeaseTest {

  private static final TriggerSettings FAST =
      new TriggerSettings(
          Duration.ofMillis(1_000), Duration.ofMillis(100), Duration.ofMillis(300), 10, 1);
  private static final Duration PATIENCE = Duration.ofSeconds(5);

  private static RedisServerProcess redis;

  private final List<AutoCloseable> opened = new ArrayList<>();
  private String prefix;

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void newCluster() {
    prefix = "lease-test-" + UUID.randomUUID() + ":";
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
  }

  private TriggerLease lease(String nodeId, AtomicBoolean listening) {
    RedisEngine engine =
        RedisEngine.connect(RedisSettings.of(redis.uri(), nodeId).withKeyPrefix(prefix));
    opened.add(engine);
    TriggerLease lease = TriggerLease.start(engine, FAST, listening::get);
    opened.add(lease);
    return lease;
  }

  private Object holderInRedis() {
    return redis.call("GET", prefix + "triggers:leader");
  }

  @Test
  void theHolderKeepsTheLeaseWithAnExpiryAndTheOtherWaits() {
    TriggerLease a = lease("node-a", new AtomicBoolean(true));
    await().atMost(PATIENCE).until(a::held);
    TriggerLease b = lease("node-b", new AtomicBoolean(true));

    // Several renewals later, still a's.
    await().during(Duration.ofMillis(500)).atMost(PATIENCE).until(() -> a.held() && !b.held());
    assertThat((String) holderInRedis()).startsWith("node-a:");
    assertThat((Long) redis.call("PTTL", a.key())).isBetween(1L, 1_000L);
  }

  @Test
  void closingGivesTheLeaseUp() {
    TriggerLease a = lease("node-a", new AtomicBoolean(true));
    await().atMost(PATIENCE).until(a::held);

    a.close();

    assertThat(a.held()).isFalse();
    assertThat(holderInRedis()).isEqualTo(Optional.empty());
  }

  @Test
  void aNodeThatCannotHearTriggersDoesNotTakeTheLease() {
    TriggerLease a = lease("node-a", new AtomicBoolean(false));

    // A free lease, several tries: a still does not take it.
    await()
        .during(Duration.ofMillis(400))
        .atMost(PATIENCE)
        .until(() -> !a.held() && holderInRedis().equals(Optional.empty()));
    TriggerLease b = lease("node-b", new AtomicBoolean(true));

    await().atMost(PATIENCE).until(b::held);
    assertThat(a.held()).isFalse();
    assertThat((String) holderInRedis()).startsWith("node-b:");
  }

  @Test
  void aHolderThatStopsHearingGivesTheLeaseToANodeThatHears() {
    AtomicBoolean listening = new AtomicBoolean(true);
    TriggerLease a = lease("node-a", listening);
    await().atMost(PATIENCE).until(a::held);
    TriggerLease b = lease("node-b", new AtomicBoolean(true));

    listening.set(false);

    // Well within the lease time: a gives it up rather than letting it run out.
    await().atMost(Duration.ofMillis(600)).until(() -> !a.held() && b.held());
  }

  @Test
  void settingsRefuseARenewalSlowerThanTheLeaseAllows() {
    assertThatThrownBy(
            () ->
                new TriggerSettings(
                    Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofMillis(500), 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("every 3000 ms for 3000 ms less 500 ms");
    assertThatThrownBy(
            () ->
                new TriggerSettings(
                    Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofMillis(500), 0, 1))
        .hasMessage("queueCapacity and maxInFlight must be at least 1, got 0 and 1");
  }
}
