package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.Backoff;
import dev.switchboard.testing.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A reconnect storm on three nodes sharing one real {@code redis-server}: {@value #DEVICES}
 * devices, each its own user, connected with {@code ?ack=1} through {@link AckingFleet} ({@link
 * dev.switchboard.client.PushClient}s acknowledging, deduplicating by id and reconnecting with
 * jittered backoff, spread over the nodes by a round-robin balancer), while {@link SteadyPublisher}
 * sends to them through every node's HTTP API before, during and after the storm. Two storms: every
 * connection of every node cut at the same moment (a proxy in front of each node), all coming back
 * at once; and one node killed with {@code kill -9}, its devices moving to the two others.
 *
 * <p>Promised, for each: every send answered 200 reaches its user's device, once after
 * deduplication by id and in the order it was answered; nothing arrives that was not sent (a send
 * that got no answer may or may not arrive). Delivery is at least once on the wire: duplicates are
 * counted and printed, not failed on. Afterwards every live node answers {@code /health} healthy,
 * and its {@code /stats} counts {@value #DEVICES} connections and users (the cluster's, through
 * presence) while the nodes' own WebSocket connections add up to {@value #DEVICES}. Each wait is
 * bounded; the whole class runs in well under a minute on two cores.
 *
 * <p>The node that is killed runs in a JVM of its own ({@link NodeProcess}); the two others run
 * here.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReconnectStormTest {

  static final int DEVICES = 300;

  /** Where every wait for the cluster to settle gives up. */
  private static final Duration BOUND = Duration.ofSeconds(30);

  /** What the fleet's clients wait before reconnecting: full jitter, 0.25 s doubling up to 2 s. */
  private static final Backoff JITTERED =
      new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2));

  /** The node in a JVM of its own: the one {@code kill -9} can kill. */
  private static final int CHILD = 2;

  private final List<AutoCloseable> opened = new ArrayList<>();
  private final List<PushHttp> nodes = new ArrayList<>();
  private final List<SeverableProxy> proxies = new ArrayList<>();
  private NodeProcess child;
  private AckingFleet fleet;
  private SteadyPublisher publisher;
  private long startedNanos;

  @BeforeEach
  void threeNodesAndTheirDevicesUnderASteadyPublisher() throws Exception {
    startedNanos = System.nanoTime();
    RedisServerProcess redis = RedisServerProcess.start();
    opened.add(redis);
    List<Integer> ports = new ArrayList<>();
    for (int n = 0; n < CHILD; n++) {
      PushFixture node =
          PushFixture.start(
              PushFixture.production()
                  .cluster(ClusterSettings.redis(redis.uri()).withNodeId("node-" + n)));
      opened.add(node);
      ports.add(node.server.port());
    }
    child =
        NodeProcess.start(
            Map.of(
                "SWITCHBOARD_REDIS_URL",
                redis.uri(),
                "SWITCHBOARD_CLUSTER_NODE_ID",
                "node-" + CHILD,
                "SWITCHBOARD_HTTP_RATE_LIMIT_PER_SECOND",
                "0"));
    opened.add(child);
    ports.add(child.port());
    for (int port : ports) {
      nodes.add(new PushHttp(port, Optional.of(PushFixture.API_KEY)));
      SeverableProxy proxy = new SeverableProxy(port);
      opened.add(proxy);
      proxies.add(proxy);
    }
    fleet = new AckingFleet(DEVICES, proxies.stream().map(SeverableProxy::port).toList(), JITTERED);
    opened.add(fleet);
    fleet.connect().get(BOUND.toSeconds(), TimeUnit.SECONDS);
    assertCountedEverywhere(nodes);
    publisher = new SteadyPublisher(nodes, DEVICES, 4, 400);
    opened.add(publisher);
    awaitAccepted(DEVICES, "sends before the storm");
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
  }

  @Test
  void everyConnectionOfEveryNodeCutAtOnceLosesNoSendAnswered200() throws Exception {
    int[] before = connectsSoFar();

    proxies.forEach(SeverableProxy::sever);

    awaitReconnected(IntStream.range(0, DEVICES).boxed().toList(), before);
    awaitAccepted(publisher.acceptedCount() + DEVICES, "sends after the storm");
    publisher.close();
    assertEverySendAnswered200ArrivedOnceInOrder("all cut at once");
    assertCountedEverywhere(nodes);
  }

  @Test
  void aKilledNodesDevicesMoveToTheOthersAndLoseNoSendAnswered200() throws Exception {
    int[] before = connectsSoFar();
    List<Integer> moving = fleet.on(CHILD);
    assertThat(moving).as("devices on the node to kill").hasSizeGreaterThan(DEVICES / 5);

    child.crash();

    awaitReconnected(moving, before);
    awaitAccepted(publisher.acceptedCount() + DEVICES, "sends after the storm");
    publisher.close();
    assertEverySendAnswered200ArrivedOnceInOrder("one node killed");
    List<PushHttp> survivors = nodes.subList(0, CHILD);
    assertCountedEverywhere(survivors);
    assertThat(fleet.on(CHILD)).as("devices left on the killed node").isEmpty();
    Set<Integer> stayed = new HashSet<>(IntStream.range(0, DEVICES).boxed().toList());
    moving.forEach(stayed::remove);
    assertThat(stayed)
        .as("the other nodes' devices kept their connections")
        .allSatisfy(i -> assertThat(fleet.connects(i)).isEqualTo(before[i]));
  }

  private int[] connectsSoFar() {
    return IntStream.range(0, DEVICES).map(fleet::connects).toArray();
  }

  /** Waits until each of {@code devices} has connected again since {@code before}, and is up. */
  private void awaitReconnected(List<Integer> devices, int[] before) {
    await("the devices cut off to connect again")
        .atMost(BOUND)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () ->
                assertThat(
                        devices.stream()
                            .filter(i -> fleet.connects(i) <= before[i] || !fleet.connected(i))
                            .map(i -> i + ": " + fleet.lastChange(i))
                            .toList())
                    .as("devices not connected again, with their last change")
                    .isEmpty());
  }

  private void awaitAccepted(int atLeast, String what) {
    await(what).atMost(BOUND).until(() -> publisher.acceptedCount() >= atLeast);
  }

  /**
   * Waits until each device has every send to its user answered 200, then checks that it got each
   * once, in the order answered, and nothing that was not sent.
   */
  private void assertEverySendAnswered200ArrivedOnceInOrder(String storm) {
    await("every send answered 200 on its device")
        .atMost(BOUND)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(missing()).as("devices and what they miss").isEmpty());
    int accepted = 0;
    for (int i = 0; i < DEVICES; i++) {
      List<String> sent = publisher.accepted(i);
      List<String> got = fleet.received(i);
      accepted += sent.size();
      assertThat(got)
          .as("device %d got only what was sent to its user", i)
          .allMatch(e -> sent.contains(e) || publisher.uncertain(e));
      assertThat(got.stream().filter(sent::contains).toList())
          .as("device %d: each send answered 200 once, in order", i)
          .containsExactlyElementsOf(sent);
    }
    long duplicates = fleet.onTheWire() - fleet.unique();
    System.out.printf(
        "ReconnectStormTest (%s): %d devices, %d sends answered 200 (outcomes %s), %d"
            + " notifications delivered again and dropped by id, %d ms since start%n",
        storm,
        DEVICES,
        accepted,
        publisher.outcomes(),
        duplicates,
        Duration.ofNanos(System.nanoTime() - startedNanos).toMillis());
  }

  /** Devices still missing a send answered 200, with what they miss (for the failure message). */
  private Map<Integer, List<String>> missing() {
    Map<Integer, List<String>> out = new TreeMap<>();
    for (int i = 0; i < DEVICES; i++) {
      Set<String> got = new HashSet<>(fleet.received(i));
      List<String> lacking = publisher.accepted(i).stream().filter(e -> !got.contains(e)).toList();
      if (!lacking.isEmpty()) {
        out.put(i, lacking);
      }
    }
    return out;
  }

  /**
   * Waits until every one of {@code live} answers {@code /health} healthy, sees them all in the
   * cluster, counts {@value #DEVICES} connections and users, and their own WebSocket connections
   * add up to {@value #DEVICES}.
   */
  private void assertCountedEverywhere(List<PushHttp> live) {
    await("every live node healthy, counting every device")
        .atMost(BOUND)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              int own = 0;
              for (PushHttp node : live) {
                PushHttp.Response health = node.get("/health");
                assertThat(health.status()).isEqualTo(200);
                assertThat(health.json().get("status").asText()).isEqualTo("healthy");
                assertThat(node.ok("/api/v1/cluster/status").get("healthy_nodes").asInt())
                    .isEqualTo(live.size());
                JsonNode stats = node.ok("/stats");
                assertThat(stats.get("connections").asInt()).as("connections").isEqualTo(DEVICES);
                assertThat(stats.get("users").asInt()).as("users").isEqualTo(DEVICES);
                own += node.ok("/api/v1/stats").at("/connections/websocket").asInt();
              }
              assertThat(own).as("the nodes' own connections").isEqualTo(DEVICES);
            });
  }
}
