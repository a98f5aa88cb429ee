package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.testing.RedisServerProcess;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Nodes join, see each other with their connections, leave at once, and drop out when they crash.
 */
class RedisMembershipTest {

  private static RedisServerProcess redis;

  /** A cluster of its own for each test. */
  private final String prefix = "membership-test-" + UUID.randomUUID() + ":";

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
  void closeAll() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  private RedisEngine engine(String nodeId) {
    RedisEngine engine =
        RedisEngine.connect(
            RedisSettings.of(redis.uri(), nodeId)
                .withKeyPrefix(prefix)
                .withCommandTimeout(Duration.ofMillis(500)));
    opened.add(engine);
    return engine;
  }

  private RedisMembership join(String nodeId, AtomicInteger connections) {
    RedisMembership membership =
        RedisMembership.join(engine(nodeId), Clock.systemUTC(), connections::get);
    opened.add(membership);
    return membership;
  }

  @Test
  void twoNodesSeeEachOtherWithTheirConnectionsSortedById() {
    AtomicInteger onB = new AtomicInteger(3);
    RedisMembership b = join("node-b", onB);
    RedisMembership a = join("node-a", new AtomicInteger(1));

    assertThat(b.nodes()).extracting(ClusterNode::nodeId).containsExactly("node-a", "node-b");
    assertThat(a.nodes()).extracting(ClusterNode::connections).containsExactly(1, 3);
    assertThat(a.isLive("node-b")).isTrue();
    assertThat(a.isLive("node-c")).isFalse();

    onB.set(5);
    await().atMost(Duration.ofSeconds(3)).until(() -> a.nodes().get(1).connections() == 5);
  }

  @Test
  void aNodeThatClosesIsGoneAtOnce() {
    RedisMembership a = join("node-a", new AtomicInteger());
    RedisMembership b = join("node-b", new AtomicInteger());

    b.close();

    assertThat(a.isLive("node-b")).isFalse();
    assertThat(a.nodes()).extracting(ClusterNode::nodeId).containsExactly("node-a");
    assertThat(redis.call("EXISTS", prefix + "cluster:node:node-b")).isEqualTo(0L);
  }

  @Test
  void aNodeThatStopsHeartbeatingDropsOutWithinSixSeconds() {
    RedisMembership a = join("node-a", new AtomicInteger());
    RedisMembership b = join("node-b", new AtomicInteger());
    assertThat(a.isLive("node-b")).isTrue();
    long crashed = System.nanoTime();

    b.stopHeartbeat();

    await().atMost(Duration.ofSeconds(6)).until(() -> !a.isLive("node-b"));
    assertThat(Duration.ofNanos(System.nanoTime() - crashed))
        .as("live until its last heartbeat is 5 s old")
        .isGreaterThan(Duration.ofSeconds(3));
    assertThat(a.nodes()).extracting(ClusterNode::nodeId).containsExactly("node-a");
  }

  @Test
  void aHeartbeatThatFailsIsLoggedOncePerOutageAndRetried() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(RedisMembership.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    Level before = logger.getLevel();
    logger.setLevel(Level.INFO);
    try (RedisServerProcess own = RedisServerProcess.start();
        RedisEngine engine =
            RedisEngine.connect(
                RedisSettings.of(own.uri(), "node-a").withCommandTimeout(Duration.ofMillis(300)));
        RedisMembership a = RedisMembership.join(engine, Clock.systemUTC(), () -> 0, 100, 1_000)) {
      own.stop();
      await().atMost(Duration.ofSeconds(5)).until(() -> warnings(logged) == 1);
      // ten heartbeats that fail meanwhile, which must not log again
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(2))
          .until(() -> warnings(logged) == 1);

      own.restart();

      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> messages(logged).contains("node node-a writes its heartbeat again"));
      assertThat(a.isLive("node-a")).isTrue();
      assertThat(warnings(logged)).isOne();
    } finally {
      logger.detachAppender(logged);
      logger.setLevel(before);
    }
  }

  /** The appender appends under its own lock; read under it too. */
  private static long warnings(ListAppender<ILoggingEvent> logged) {
    synchronized (logged) {
      return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
    }
  }

  private static List<String> messages(ListAppender<ILoggingEvent> logged) {
    synchronized (logged) {
      return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }
}
