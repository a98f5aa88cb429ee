package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.switchboard.gateway.Deliveries;
import dev.switchboard.gateway.DeliveryLimits;
import dev.switchboard.gateway.Dispatcher;
import dev.switchboard.gateway.FakeDevice;
import dev.switchboard.gateway.Metadata;
import dev.switchboard.gateway.Notification;
import dev.switchboard.gateway.Outgoing;
import dev.switchboard.gateway.Registry;
import dev.switchboard.gateway.RegistryLimits;
import dev.switchboard.gateway.Target;
import dev.switchboard.testing.RedisServerProcess;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node whose subscription drops (pub/sub delivers nothing to a reconnecting subscriber) catches
 * up from the streams once it is back: its devices get every notification published meanwhile,
 * once, in order, and what then also arrives live is not handed out again.
 */
class RedisBrokerCatchUpTest {

  private RedisServerProcess redis;
  private final List<AutoCloseable> opened = new ArrayList<>();

  /** One node: its registry, its broker. */
  private record Node(Registry registry, RedisBroker broker) {}

  @BeforeEach
  void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterEach
  void stopAll() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
    redis.close();
  }

  private Node node(String id) {
    RedisSettings defaults = RedisSettings.of(redis.uri(), id);
    // Reconnects wait at least half a second, so that sends made at once fall in the gap.
    RedisSettings settings =
        new RedisSettings(
            defaults.uri(),
            id,
            "catch-up-test:",
            defaults.commandTimeout(),
            defaults.requestQueueSize(),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            defaults.breaker());
    RedisEngine engine = RedisEngine.connect(settings);
    opened.add(engine);
    Registry registry = new Registry(RegistryLimits.DEFAULTS);
    Deliveries deliveries =
        new Deliveries(
            new Dispatcher(registry),
            RedisDeliveryStore.create(engine, DeliveryLimits.DEFAULTS),
            Clock.systemUTC());
    RedisBroker broker =
        RedisBroker.start(engine, deliveries, Duration.ofMillis(300), Clock.systemUTC());
    opened.add(broker);
    return new Node(registry, broker);
  }

  private static Notification numbered(int n) {
    return Notification.create(Instant.now(), "n-" + n, IntNode.valueOf(n), Metadata.of("api"));
  }

  private static List<Integer> numbers(FakeDevice device) {
    return device.received().stream().map(RedisBrokerCatchUpTest::number).toList();
  }

  private static int number(Outgoing message) {
    String text = new String(message.bytes(), java.nio.charset.StandardCharsets.UTF_8);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"event_type\":\"n-(\\d+)\"").matcher(text);
    if (!m.find()) {
      throw new AssertionError("not a numbered notification: " + text);
    }
    return Integer.parseInt(m.group(1));
  }

  /** Sends notification {@code n} through {@code node} to alice and to channel news. */
  private static void sendBoth(Node node, int n) throws Exception {
    node.broker()
        .publish(new Target.User("alice"), numbered(n))
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    node.broker()
        .publish(new Target.Channel("news"), numbered(n))
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }

  @Test
  void sendsPublishedWhileASubscriptionWasDownReachItsDevicesOnceInOrder() throws Exception {
    Node a = node("a");
    Node b = node("b");
    FakeDevice phone = new FakeDevice("phone-" + UUID.randomUUID(), "alice");
    b.registry().reserve("alice").activate(phone);
    FakeDevice tv = new FakeDevice("tv", "bob");
    b.registry().reserve("bob").activate(tv);
    b.registry().subscribe(tv, List.of("news"));
    sendBoth(a, 1);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> phone.received().size() == 1 && tv.received().size() == 1);

    redis.call("CLIENT", "KILL", "TYPE", "pubsub");
    for (int n = 2; n <= 6; n++) {
      sendBoth(a, n);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> phone.received().size() >= 6 && tv.received().size() >= 6);
    for (int n = 7; n <= 8; n++) {
      sendBoth(a, n);
    }

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> phone.received().size() >= 8 && tv.received().size() >= 8);
    assertThat(numbers(phone)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(numbers(tv)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
  }
}
