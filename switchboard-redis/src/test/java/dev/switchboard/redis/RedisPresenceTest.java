package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.gateway.Device;
import dev.switchboard.gateway.FakeDevice;
import dev.switchboard.gateway.Presence;
import dev.switchboard.gateway.PresenceContract;
import dev.switchboard.gateway.Registry;
import dev.switchboard.gateway.RegistryLimits;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.testing.RedisServerProcess;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The presence contract on Redis, every node with an engine, a membership and a presence of its own
 * (a cluster per test: a key prefix of its own); and what only a cluster does: nodes that crash
 * vanish, entries Redis lost come back, a user's nodes are listed.
 */
class RedisPresenceTest extends PresenceContract {

  private static final Duration WRITTEN = Duration.ofSeconds(10);

  private static RedisServerProcess redis;

  private final String prefix = "presence-test-" + UUID.randomUUID() + ":";
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final List<RedisPresence> presences = new ArrayList<>();

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
  private record Node(
      String nodeId, Registry registry, RedisMembership membership, RedisPresence presence) {

    /** This node's users hash in Redis. */
    String usersKey(String prefix) {
      return prefix + "presence:node:" + nodeId + ":users";
    }
  }

  private Node start(Registry local, long heartbeatMillis, long liveMillis) {
    return start(local, heartbeatMillis, liveMillis, RedisPresenceWriter.DEFAULT_QUEUE_CAPACITY);
  }

  private Node start(Registry local, long heartbeatMillis, long liveMillis, int queueCapacity) {
    RedisEngine engine =
        RedisEngine.connect(
            RedisSettings.of(redis.uri(), "node-" + (presences.size() + 1))
                .withKeyPrefix(prefix)
                .withCommandTimeout(Duration.ofSeconds(5)));
    opened.add(engine);
    RedisMembership membership =
        RedisMembership.join(
            engine, Clock.systemUTC(), local::connectionCount, heartbeatMillis, liveMillis);
    opened.add(membership);
    RedisPresence presence = RedisPresence.start(engine, membership, local, queueCapacity);
    opened.add(presence);
    presences.add(presence);
    return new Node(engine.nodeId(), local, membership, presence);
  }

  /** A node whose heartbeats come every 100 ms and count for 1 s, for tests of crashes. */
  private Node fastNode() {
    return start(new Registry(RegistryLimits.DEFAULTS), 100, 1_000);
  }

  @Override
  protected Presence node(Registry local) {
    return start(local, RedisMembership.HEARTBEAT_MILLIS, RedisMembership.LIVE_MILLIS).presence();
  }

  @Override
  protected boolean sharedBetweenNodes() {
    return true;
  }

  @Override
  protected void settle() throws Exception {
    for (RedisPresence presence : presences) {
      assertThat(presence.awaitWritten(WRITTEN)).as("written within %s", WRITTEN).isTrue();
    }
  }

  private static Device connect(Registry registry, String deviceId, String userId) {
    Device device = new FakeDevice(deviceId, userId);
    registry.reserve(userId).activate(device);
    return device;
  }

  @Test
  void aUsersNodesAreListedWithTheirConnections() throws Exception {
    Node here = fastNode();
    Node there = fastNode();
    connect(here.registry(), "phone", "alice");
    connect(there.registry(), "laptop", "alice");
    connect(there.registry(), "tablet", "alice");
    settle();

    assertThat(here.presence().userNodes("alice"))
        .containsExactly(Map.entry(here.nodeId(), 1), Map.entry(there.nodeId(), 2));
    assertThat(here.presence().userNodes("bob")).isEmpty();
  }

  @Test
  void aNodeThatCrashesTakesItsDevicesWithIt() throws Exception {
    Node here = fastNode();
    Node there = fastNode();
    connect(here.registry(), "phone", "alice");
    there.registry().subscribe(connect(there.registry(), "laptop", "bob"), List.of("news"));
    settle();
    assertThat(here.presence().counts()).isEqualTo(new Presence.Counts(2, 2, 1, 0, 1));

    there.membership().stopHeartbeat();

    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> here.presence().counts().equals(new Presence.Counts(1, 1, 0, 0, 0)));
    assertThat(here.presence().user("bob")).isEmpty();
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> redis.call("EXISTS", there.usersKey(prefix)).equals(0L));
  }

  @Test
  void entriesRedisLostAreWrittenAgainAtTheNextHeartbeat() throws Exception {
    Node here = fastNode();
    connect(here.registry(), "phone", "alice");
    settle();

    redis.flushAll();

    await()
        .atMost(Duration.ofSeconds(5))
        .ignoreExceptions()
        .until(() -> here.presence().user("alice").isPresent());
  }

  @Test
  void whenTheQueueOverflowsTheNodesEntriesAreRewrittenWhole() throws Exception {
    Node here =
        start(
            new Registry(RegistryLimits.DEFAULTS),
            RedisMembership.HEARTBEAT_MILLIS,
            RedisMembership.LIVE_MILLIS,
            2);
    settle();
    assertThat(here.presence().rewrites()).as("the first write").isOne();

    redis.pause(Duration.ofSeconds(1)); // the writer waits for Redis while changes pile up
    for (int i = 0; i < 20; i++) {
      here.registry().subscribe(connect(here.registry(), "d" + i, "user-" + i), List.of("news"));
    }
    settle();

    // A heartbeat may ask for one more, having found no entries while the writer waited.
    assertThat(here.presence().rewrites()).isGreaterThanOrEqualTo(2);
    assertThat(here.presence().counts()).isEqualTo(new Presence.Counts(20, 20, 1, 0, 20));
    assertThat(here.presence().subscribers("news")).hasValue(20);
  }

  @Test
  void aTenantsCountsAndViewAreItsOwnOnEveryNode() throws Exception {
    Node here = fastNode();
    Node there = fastNode();
    Tenant acme = new Tenant("acme");
    here.registry()
        .subscribe(
            connect(here.registry(), "a1", acme.user("alice")), acme.channels(List.of("news")));
    connect(there.registry(), "a2", acme.user("alice"));
    connect(there.registry(), "b1", "bob");
    settle();

    assertThat(here.presence().tenants()).containsExactly("acme", "default");
    assertThat(there.presence().counts(acme)).isEqualTo(new Presence.Counts(2, 1, 1, 1, 1));
    assertThat(there.presence().in(acme).user("alice").orElseThrow().channels())
        .containsExactly("news");
    assertThat(here.presence().in(Tenant.DEFAULT).channels()).isEmpty();
  }

  @Test
  void aClosedNodesEntriesAreGoneAtOnce() throws Exception {
    Node here = fastNode();
    connect(here.registry(), "phone", "alice");
    settle();
    assertThat(redis.call("EXISTS", here.usersKey(prefix))).isEqualTo(1L);

    here.presence().close();

    assertThat(redis.call("EXISTS", here.usersKey(prefix))).isEqualTo(0L);
  }

  /** A device that is only ever counted; compared by identity, as the registry expects. */
}
