package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.gateway.Notification;
import dev.switchboard.gateway.Priority;
import dev.switchboard.gateway.Target;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.testing.RedisServerProcess;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Ara's triggers through a real Redis, on one node and on two sharing the work. */
class AraTriggersTest {

  /** A short lease, so that handovers happen within a test's patience. */
  private static final TriggerSettings FAST =
      new TriggerSettings(
          Duration.ofMillis(1_000), Duration.ofMillis(150), Duration.ofMillis(300), 100, 16);

  private static final Duration PATIENCE = Duration.ofSeconds(5);
  private static final String EVENT = "\"event\":{\"event_type\":\"t\",\"payload\":{\"n\":1}}";

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
    prefix = "triggers-test-" + UUID.randomUUID() + ":";
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
  }

  /** What a sink was asked to send. */
  private record Sent(Target target, Notification notification) {}

  /** Records every send, and answers as {@link #answer} says (completed by default). */
  private static final class RecordingSink implements TriggerSink {
    final Queue<Sent> sent = new ConcurrentLinkedQueue<>();
    volatile CompletionStage<?> answer = CompletableFuture.completedFuture(null);

    @Override
    public CompletionStage<?> send(Target target, Notification notification) {
      sent.add(new Sent(target, notification));
      return answer;
    }
  }

  private RedisEngine engine(String nodeId) {
    RedisEngine engine =
        RedisEngine.connect(RedisSettings.of(redis.uri(), nodeId).withKeyPrefix(prefix));
    opened.add(engine);
    return engine;
  }

  private AraTriggers node(String nodeId, TriggerSink sink, TriggerSettings settings) {
    AraTriggers triggers = AraTriggers.start(engine(nodeId), sink, Clock.systemUTC(), settings);
    opened.add(triggers);
    return triggers;
  }

  /** One node, holding the lease. */
  private AraTriggers leader(RecordingSink sink) {
    AraTriggers triggers = node("node-a", sink, FAST);
    await().atMost(PATIENCE).until(triggers::holdsLease);
    return triggers;
  }

  private static long publish(String channel, String json) {
    return (Long) redis.call("PUBLISH", channel, json);
  }

  @Test
  void aTriggerPublishedOnceReachesOneSinkOnceAcrossTwoNodes() {
    RecordingSink sinkA = new RecordingSink();
    RecordingSink sinkB = new RecordingSink();
    AraTriggers a = node("node-a", sinkA, FAST);
    AraTriggers b = node("node-b", sinkB, FAST);
    await().atMost(PATIENCE).until(() -> a.holdsLease() || b.holdsLease());

    assertThat(
            publish(
                "notification:user:alice",
                "{\"type\":\"user\",\"target\":\"alice\"," + EVENT + "}"))
        .isEqualTo(2);

    // Both nodes heard it (one handled, the other ignored it); only then is "once" meaningful.
    await()
        .atMost(PATIENCE)
        .until(() -> total(a, b, TriggerStats::received) + total(a, b, TriggerStats::ignored) == 2);
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(total(a, b, TriggerStats::handled))
                    .as("%s %s", a.stats(), b.stats())
                    .isEqualTo(1));
    assertThat(total(a, b, TriggerStats::received)).isEqualTo(1);
    assertThat(sinkA.sent.size() + sinkB.sent.size()).isEqualTo(1);
    Sent sent = (sinkA.sent.isEmpty() ? sinkB : sinkA).sent.peek();
    assertThat(sent.target()).isEqualTo(new Target.User("alice"));
  }

  private static long total(
      AraTriggers a, AraTriggers b, java.util.function.ToLongFunction<TriggerStats> counter) {
    return counter.applyAsLong(a.stats()) + counter.applyAsLong(b.stats());
  }

  @Test
  void eachOfTheFiveChannelsCarriesItsKindOfTrigger() {
    RecordingSink sink = new RecordingSink();
    AraTriggers triggers = leader(sink);

    publish("notification:user:alice", "{\"type\":\"user\",\"target\":\"alice\"," + EVENT + "}");
    publish("notification:users", "{\"type\":\"users\",\"target\":[\"a\",\"b\"]," + EVENT + "}");
    publish("notification:broadcast", "{\"type\":\"broadcast\"," + EVENT + "}");
    publish(
        "notification:channel:orders",
        "{\"type\":\"channel\",\"target\":\"orders\"," + EVENT + "}");
    publish(
        "notification:channels", "{\"type\":\"channels\",\"target\":[\"x\",\"y\"]," + EVENT + "}");

    await().atMost(PATIENCE).until(() -> triggers.stats().handled() == 5);
    assertThat(sink.sent)
        .extracting(Sent::target)
        .containsExactly(
            new Target.User("alice"),
            new Target.Users(List.of("a", "b")),
            new Target.Broadcast(Tenant.DEFAULT),
            new Target.Channel("orders"),
            new Target.Channels(List.of("x", "y")));
    assertThat(sink.sent).extracting(s -> s.notification().eventType()).containsOnly("t");
    assertThat(triggers.stats().received()).isEqualTo(5);
  }

  @Test
  void aChannelOutsideAraNamesIsNotHeard() {
    RecordingSink sink = new RecordingSink();
    AraTriggers triggers = leader(sink);

    assertThat(publish("notification:user", "{\"type\":\"broadcast\"," + EVENT + "}")).isZero();
    assertThat(publish(prefix + "notification:users", "{\"type\":\"broadcast\"," + EVENT + "}"))
        .isZero();
    publish("notification:broadcast", "{\"type\":\"broadcast\"," + EVENT + "}");

    await().atMost(PATIENCE).until(() -> triggers.stats().handled() == 1);
    assertThat(triggers.stats().received()).isEqualTo(1);
  }

  @Test
  void aMalformedTriggerIsCountedAndLoggedAndTheNextOneStillWorks() {
    ListAppender<ILoggingEvent> logged = capture();
    RecordingSink sink = new RecordingSink();
    AraTriggers triggers = leader(sink);
    String bad = "{\"type\":\"group\",\"target\":\"a\",\"pad\":\"" + "x".repeat(500) + "\"}";

    publish("notification:users", bad);
    publish("notification:user:bob", "{\"type\":\"user\",\"target\":\"bob\"," + EVENT + "}");

    await().atMost(PATIENCE).until(() -> triggers.stats().handled() == 1);
    assertThat(triggers.stats().malformed()).isEqualTo(1);
    assertThat(sink.sent).extracting(Sent::target).containsExactly(new Target.User("bob"));
    assertThat(logged.list)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getLevel()).isEqualTo(Level.WARN);
              assertThat(e.getFormattedMessage())
                  .contains("notification:users")
                  .contains("type must be one of user, users, broadcast, channel, channels")
                  .contains(bad.substring(0, AraTriggers.LOGGED_BODY_LENGTH) + "...")
                  .doesNotContain(bad);
            });
  }

  private ListAppender<ILoggingEvent> capture() {
    Logger logger = (Logger) LoggerFactory.getLogger(AraTriggers.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    opened.add(() -> logger.detachAppender(appender));
    return appender;
  }

  @Test
  void aTenantIdPutsTheTargetInThatTenant() {
    RecordingSink sink = new RecordingSink();
    AraTriggers triggers = leader(sink);

    publish(
        "notification:user:alice",
        "{\"type\":\"user\",\"target\":\"alice\",\"tenant_id\":\"acme\",\"event\":{"
            + "\"event_type\":\"t\",\"payload\":1,\"priority\":\"High\"}}");
    publish(
        "notification:channel:orders",
        "{\"type\":\"channel\",\"target\":\"orders\",\"tenant_id\":\"acme\"," + EVENT + "}");

    await().atMost(PATIENCE).until(() -> triggers.stats().handled() == 2);
    Tenant acme = new Tenant("acme");
    assertThat(sink.sent)
        .extracting(Sent::target)
        .containsExactly(
            new Target.User(acme.user("alice")), new Target.Channel(acme.channel("orders")));
    assertThat(sink.sent.peek().notification().metadata().priority()).isEqualTo(Priority.HIGH);
  }

  @Test
  void theSameTriggerPublishedTwiceIsTwoNotifications() {
    RecordingSink sink = new RecordingSink();
    AraTriggers triggers = leader(sink);
    String json = "{\"type\":\"user\",\"target\":\"alice\"," + EVENT + "}";

    publish("notification:user:alice", json);
    publish("notification:user:alice", json);

    await().atMost(PATIENCE).until(() -> triggers.stats().handled() == 2);
    assertThat(sink.sent).extracting(s -> s.notification().id()).doesNotHaveDuplicates();
  }

  @Test
  void whenTheHolderClosesTheOtherNodeHandlesTheNextTrigger() {
    RecordingSink sinkA = new RecordingSink();
    RecordingSink sinkB = new RecordingSink();
    AraTriggers a = node("node-a", sinkA, TriggerSettings.defaults());
    await().atMost(PATIENCE).until(a::holdsLease);
    AraTriggers b = node("node-b", sinkB, TriggerSettings.defaults());

    a.close();

    // The default lease is 3 s; a released one is taken at the next try, within 1 s.
    await().atMost(Duration.ofMillis(1_500)).until(b::holdsLease);
    publish("notification:user:alice", "{\"type\":\"user\",\"target\":\"alice\"," + EVENT + "}");
    await().atMost(PATIENCE).until(() -> b.stats().handled() == 1);
    assertThat(sinkA.sent).isEmpty();
  }

  @Test
  void whenTheHolderDiesWithoutReleasingTheOtherNodeTakesOverOnceTheLeaseRunsOut() {
    RecordingSink sinkB = new RecordingSink();
    RedisEngine engineA = engine("node-a");
    AraTriggers a = AraTriggers.start(engineA, new RecordingSink(), Clock.systemUTC(), FAST);
    opened.add(a);
    await().atMost(PATIENCE).until(a::holdsLease);
    AraTriggers b = node("node-b", sinkB, FAST);

    engineA.close(); // node A loses Redis: no renewal, no release

    await().atMost(PATIENCE).until(() -> !a.holdsLease() && b.holdsLease());
    publish("notification:broadcast", "{\"type\":\"broadcast\"," + EVENT + "}");
    await().atMost(PATIENCE).until(() -> b.stats().handled() == 1);
  }

  @Test
  void aSendTheSinkFailsIsCountedAndTheNextOneStillWorks() {
    RecordingSink sink = new RecordingSink();
    sink.answer = CompletableFuture.failedFuture(new IllegalStateException("broker down"));
    AraTriggers triggers = leader(sink);

    publish("notification:broadcast", "{\"type\":\"broadcast\"," + EVENT + "}");
    await().atMost(PATIENCE).until(() -> triggers.stats().failed() == 1);
    sink.answer = CompletableFuture.completedFuture(null);
    publish("notification:broadcast", "{\"type\":\"broadcast\"," + EVENT + "}");

    await().atMost(PATIENCE).until(() -> triggers.stats().handled() == 1);
    assertThat(triggers.stats().failed()).isEqualTo(1);
  }

  @Test
  void beyondTheQueueTriggersAreDroppedAndCounted() {
    RecordingSink sink = new RecordingSink();
    CompletableFuture<Void> stuck = new CompletableFuture<>();
    sink.answer = stuck;
    TriggerSettings tight =
        new TriggerSettings(FAST.leaseTime(), FAST.renewEvery(), FAST.safetyMargin(), 1, 1);
    AraTriggers triggers = node("node-a", sink, tight);
    await().atMost(PATIENCE).until(triggers::holdsLease);

    // One in flight, one waiting for a permit, one queued: the rest cannot be held.
    for (int i = 0; i < 5; i++) {
      publish("notification:broadcast", "{\"type\":\"broadcast\"," + EVENT + "}");
    }

    await().atMost(PATIENCE).until(() -> triggers.stats().received() == 5);
    await().atMost(PATIENCE).until(() -> triggers.stats().dropped() >= 2);
    stuck.complete(null);
    await()
        .atMost(PATIENCE)
        .until(() -> triggers.stats().handled() + triggers.stats().dropped() == 5);
    assertThat(triggers.stats().dropped()).isBetween(2L, 4L);
  }

  @Test
  void aSinkThatThrowsIsCountedAsFailedAndTheNextOneStillWorks() {
    AtomicInteger calls = new AtomicInteger();
    TriggerSink throwsOnce =
        (target, notification) -> {
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("refused");
          }
          return CompletableFuture.completedFuture(null);
        };
    AraTriggers triggers = node("node-a", throwsOnce, FAST);
    await().atMost(PATIENCE).until(triggers::holdsLease);

    publish("notification:broadcast", "{\"type\":\"broadcast\"," + EVENT + "}");
    publish("notification:broadcast", "{\"type\":\"broadcast\"," + EVENT + "}");

    await().atMost(PATIENCE).until(() -> triggers.stats().handled() == 1);
    assertThat(triggers.stats().failed()).isEqualTo(1);
  }

  @Test
  void closeSendsWhatWasAlreadyAccepted() throws Exception {
    RecordingSink sink = new RecordingSink();
    CompletableFuture<Void> stuck = new CompletableFuture<>();
    sink.answer = stuck;
    TriggerSettings tight =
        new TriggerSettings(FAST.leaseTime(), FAST.renewEvery(), FAST.safetyMargin(), 10, 1);
    AraTriggers triggers = node("node-a", sink, tight);
    await().atMost(PATIENCE).until(triggers::holdsLease);
    for (int i = 0; i < 3; i++) {
      publish("notification:broadcast", "{\"type\":\"broadcast\"," + EVENT + "}");
    }
    await().atMost(PATIENCE).until(() -> triggers.stats().received() == 3);

    CompletableFuture<Void> closing = CompletableFuture.runAsync(triggers::close);
    await().atMost(PATIENCE).until(() -> !triggers.holdsLease()); // close has begun
    stuck.complete(null);

    closing.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(sink.sent).hasSize(3);
    assertThat(triggers.stats().handled()).isEqualTo(3);
  }
}
