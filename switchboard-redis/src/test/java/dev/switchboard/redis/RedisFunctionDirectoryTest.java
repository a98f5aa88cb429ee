package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.cluster.FunctionDirectory;
import dev.switchboard.cluster.FunctionDirectoryContract;
import dev.switchboard.cluster.NodeFunctions;
import dev.switchboard.cluster.Offer;
import dev.switchboard.testing.RedisServerProcess;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The directory contract on Redis, every node with an engine, a membership and a directory of its
 * own (a cluster per test: a key prefix of its own); and what only a cluster does: a node that
 * crashes drops out, what Redis lost is written again, a node's hash says what it serves.
 */
class RedisFunctionDirectoryTest extends FunctionDirectoryContract {

  private static final Offer RESIZE = new Offer("image.resize", Set.of("cpu"), true);

  private static RedisServerProcess redis;

  private final String prefix = "directory-test-" + UUID.randomUUID() + ":";
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @AfterEach
  void closeNodes() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  /** One node of this test's cluster. */
  private record Node(RedisMembership membership, RedisFunctionDirectory directory) {}

  private Node node(RedisServerProcess server, String nodeId, String address, LongSupplier load) {
    RedisEngine engine =
        RedisEngine.connect(
            RedisSettings.of(server.uri(), nodeId)
                .withKeyPrefix(prefix)
                .withCommandTimeout(Duration.ofMillis(500)));
    opened.add(engine);
    RedisMembership membership = RedisMembership.join(engine, Clock.systemUTC(), () -> 0);
    opened.add(membership);
    RedisFunctionDirectory directory =
        RedisFunctionDirectory.join(engine, membership, address, load);
    opened.add(directory);
    return new Node(membership, directory);
  }

  @Override
  protected FunctionDirectory join(String nodeId, String address, LongSupplier load) {
    return node(redis, nodeId, address, load).directory();
  }

  /**
   * The load is written after each heartbeat (every 1 s) and read at the next poll (every 500 ms):
   * 1.5 s, plus the contract's 500 ms for a noisy machine, plus 500 ms for a heartbeat that runs
   * late behind a slow write.
   */
  @Override
  protected Duration loadSeenWithin() {
    return Duration.ofMillis(2_500);
  }

  @Test
  void aNodeThatStopsHeartbeatingWithoutLeavingDropsOutWithinSixSeconds() {
    FunctionDirectory a = join("node-a", "ws://a", () -> 0);
    Node b = node(redis, "node-b", "ws://b", () -> 0);
    b.directory().announce(List.of(RESIZE));
    await().atMost(SEEN_WITHIN).until(() -> a.others().size() == 1);
    long crashed = System.nanoTime();

    b.membership().stopHeartbeat();

    await().atMost(Duration.ofMillis(6_500)).until(() -> a.others().isEmpty());
    assertThat(Duration.ofNanos(System.nanoTime() - crashed))
        .as("listed until its last heartbeat is 5 s old")
        .isGreaterThan(Duration.ofSeconds(3));
    assertThat(redis.call("EXISTS", prefix + "rpc:node:node-b"))
        .as("its hash outlives it, expiring on its own")
        .isEqualTo(1L);
  }

  @Test
  void aNodesHashHoldsItsAddressOffersAndLoadAndExpires() {
    Node b = node(redis, "node-b", "ws://b:7070/link", () -> 4);

    b.directory().announce(List.of(RESIZE));

    String key = prefix + "rpc:node:node-b";
    await()
        .atMost(SEEN_WITHIN)
        .untilAsserted(
            () ->
                assertThat(redis.call("HGET", key, "offers"))
                    .isEqualTo(
                        "[{\"function\":\"image.resize\",\"resources\":[\"cpu\"],\"idempotent\":true}]"));
    assertThat(redis.call("HGET", key, "address")).isEqualTo("ws://b:7070/link");
    assertThat(redis.call("HGET", key, "load")).isEqualTo("4");
    assertThat((Long) redis.call("PTTL", key)).isBetween(1L, 10_000L);
  }

  @Test
  void closeDeletesTheNodesHashAndLeavesEngineAndMembershipOpen() {
    Node b = node(redis, "node-b", "ws://b", () -> 0);
    b.directory().announce(List.of(RESIZE));
    String key = prefix + "rpc:node:node-b";
    await().atMost(SEEN_WITHIN).until(() -> Long.valueOf(1).equals(redis.call("EXISTS", key)));

    b.directory().close();

    assertThat(redis.call("EXISTS", key)).isEqualTo(0L);
    assertThat(b.membership().isLive("node-b")).isTrue();
  }

  @Test
  void whatRedisLostIsWrittenAgainWhenItIsBack() {
    try (RedisServerProcess own = RedisServerProcess.start()) {
      FunctionDirectory a = node(own, "node-a", "ws://a", () -> 0).directory();
      FunctionDirectory b = node(own, "node-b", "ws://b", () -> 2).directory();
      b.announce(List.of(RESIZE));
      await().atMost(SEEN_WITHIN).until(() -> a.others().size() == 1);

      own.stop();
      Offer embed = new Offer("text.embed", Set.of("gpu"), false);
      b.announce(List.of(embed));
      own.restart(); // empty: nothing was persisted

      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () ->
                  assertThat(a.others())
                      .containsExactly(new NodeFunctions("node-b", "ws://b", List.of(embed), 2)));
    }
  }

  @Test
  void unreadableOffersAreRefusedNamingWhatIsWrong() {
    assertThatThrownBy(() -> FunctionDirectoryHash.decode("{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a JSON array");
    assertThatThrownBy(() -> FunctionDirectoryHash.decode("[{\"function\":\"f\"}]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("{function, resources, idempotent}");
    assertThatThrownBy(
            () ->
                FunctionDirectoryHash.decode(
                    "[{\"function\":\"rpc.x\",\"resources\":[],\"idempotent\":true}]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved");
  }
}
