package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.client.Backoff;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.PushClient;
import dev.switchboard.client.PushFleet;
import dev.switchboard.client.PushNotification;
import dev.switchboard.client.StateChange;
import dev.switchboard.client.Subscription;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PushClient} against a real server through a proxy that can cut the network: it reconnects,
 * restores its subscriptions and recovers what was sent meanwhile, once each and in order; it waits
 * what the server's {@code shutdown} notice says; it connects with a fresh token each time.
 */
class PushClientTest {
  private static final Backoff QUICK = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200));

  private final List<StateChange> states = new CopyOnWriteArrayList<>();
  private final BlockingQueue<PushNotification> news = new LinkedBlockingQueue<>();
  private PushFixture push;
  private SeverableProxy proxy;
  private PushClient client;

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (push != null) {
      push.close();
    }
  }

  private PushClient.Builder through(PushFixture fixture) throws Exception {
    proxy = new SeverableProxy(fixture.server.port());
    return PushClient.builder(URI.create("ws://127.0.0.1:" + proxy.port() + "/ws")).backoff(QUICK);
  }

  private List<ConnectionState> stateNames() {
    return states.stream().map(StateChange::state).toList();
  }

  @Test
  void aDroppedConnectionComesBackWithItsSubscriptionRecoveredInOrderAndOnce() throws Exception {
    push = PushFixture.start(PushFixture.development());
    client = through(push).build().onState(states::add);
    Subscription subscription = client.subscribe("news", news::add);
    client.connect().get(30, TimeUnit.SECONDS);
    push.sendToChannel("news", "before");
    assertThat(news.poll(30, TimeUnit.SECONDS).eventType()).isEqualTo("before");

    proxy.goDown();
    await().until(() -> client.state() != ConnectionState.CONNECTED);
    push.awaitConnections(0);
    push.sendToChannel("news", "missed-1");
    push.sendToChannel("news", "missed-2");
    proxy.heal();
    await().atMost(Duration.ofSeconds(30)).until(() -> client.state() == ConnectionState.CONNECTED);
    push.sendToChannel("news", "after");

    List<String> got = List.of(take(), take(), take());
    assertThat(got).containsExactly("missed-1", "missed-2", "after");
    assertThat(news.poll(300, TimeUnit.MILLISECONDS)).as("nothing twice").isNull();
    assertThat(stateNames())
        .startsWith(
            ConnectionState.CONNECTING, ConnectionState.CONNECTED, ConnectionState.DISCONNECTED)
        .endsWith(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
    StateChange drop = states.get(2);
    assertThat(drop.retryIn()).isPresent();
    assertThat(drop.retryIn().get()).isLessThanOrEqualTo(QUICK.max());

    subscription.unsubscribe();
    push.sendToChannel("news", "unsubscribed");
    assertThat(news.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void aServerShuttingDownIsReconnectedToAfterTheTimeItAnnounced() throws Exception {
    push = PushFixture.start(PushFixture.development().reconnectAfter(Duration.ofSeconds(3)));
    client = through(push).build().onState(states::add);
    client.connect().get(30, TimeUnit.SECONDS);
    push.awaitConnections(1); // in the registry: the shutdown notice goes to registered devices

    push.server.close();

    await().atMost(Duration.ofSeconds(30)).until(() -> states.size() >= 3);
    StateChange drop = states.get(2);
    assertThat(drop.state()).isEqualTo(ConnectionState.DISCONNECTED);
    assertThat(drop.cause().orElseThrow().code()).as(states.toString()).isEqualTo(1001);
    assertThat(drop.retryIn()).contains(Duration.ofSeconds(3));
  }

  @Test
  void everyConnectAsksForAFreshTokenAndTheServerKnowsTheUser() throws Exception {
    push = PushFixture.start(PushFixture.production());
    List<String> handedOut = new CopyOnWriteArrayList<>();
    client =
        through(push)
            .token(
                () -> {
                  String token = PushTokens.valid("ann");
                  handedOut.add(token);
                  return token;
                })
            .build()
            .onState(states::add)
            .onNotification(news::add);
    client.connect().get(30, TimeUnit.SECONDS);
    push.sendTo("ann", "for-ann");
    assertThat(take()).isEqualTo("for-ann");

    proxy.sever();
    await().atMost(Duration.ofSeconds(30)).until(() -> handedOut.size() >= 2);
    await().atMost(Duration.ofSeconds(30)).until(() -> client.state() == ConnectionState.CONNECTED);
    push.sendTo("ann", "again");
    assertThat(take()).isEqualTo("again");
  }

  @Test
  void atLeastOnceANotificationWhoseHandlerFailedComesAgainAndIsAcknowledgedOnceHandled()
      throws Exception {
    push = PushFixture.start(PushFixture.production());
    java.util.concurrent.atomic.AtomicBoolean failOnce =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    client =
        through(push)
            .acknowledge(true)
            .token(() -> PushTokens.valid("bea"))
            .build()
            .onNotification(
                n -> {
                  if (n.eventType().equals("flaky") && failOnce.getAndSet(false)) {
                    throw new IllegalStateException("the handler failed this time");
                  }
                  news.add(n);
                });
    client.connect().get(30, TimeUnit.SECONDS);
    push.sendTo("bea", "steady");
    String steadyId = news.poll(30, TimeUnit.SECONDS).id();
    push.sendTo("bea", "flaky");
    await().until(() -> !failOnce.get());

    proxy.sever(); // the unacknowledged notification is owed to the next connection
    PushNotification again = news.poll(30, TimeUnit.SECONDS);

    assertThat(again).isNotNull();
    assertThat(again.eventType()).isEqualTo("flaky");
    assertThat(again.id()).isNotEqualTo(steadyId);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> push.http.ok("/api/v1/stats/acks").get("acknowledged").asInt() == 2);
    assertThat(news.poll(300, TimeUnit.MILLISECONDS))
        .as("steady was acknowledged: not again")
        .isNull();
  }

  @Test
  void aTokenPastThreeQuartersOfItsLifeIsRefreshedOnTheOpenConnection() throws Exception {
    push = PushFixture.start(PushFixture.production());
    List<String> handedOut = new CopyOnWriteArrayList<>();
    client =
        through(push)
            .token(
                () -> {
                  // Issued 300 s ago, 100 s left: past three quarters of its life.
                  long now = java.time.Instant.now().getEpochSecond();
                  String token =
                      PushTokens.hmac(
                          "HS256",
                          PushTokens.SECRET,
                          PushTokens.claims("cy").put("iat", now - 300).put("exp", now + 100));
                  handedOut.add(token);
                  return token;
                })
            .build()
            .onState(states::add);
    client.connect().get(30, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(30)).until(() -> handedOut.size() >= 3);

    assertThat(stateNames())
        .as("refreshed on the same connection, never dropped")
        .containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
  }

  @Test
  void aRefusedTokenClosesTheClientInsteadOfRetryingForever() {
    push = PushFixture.start(PushFixture.production());
    try {
      client = through(push).token(() -> "not-a-token").build().onState(states::add);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(client.connect()).failsWithin(Duration.ofSeconds(30));
    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
    assertThat(stateNames()).containsExactly(ConnectionState.CONNECTING, ConnectionState.CLOSED);
  }

  @Test
  void aFleetConnectsItsMembersAndEachGetsABroadcastOnce() throws Exception {
    push = PushFixture.start(PushFixture.production());
    java.util.concurrent.ConcurrentHashMap<Integer, List<String>> got =
        new java.util.concurrent.ConcurrentHashMap<>();
    try (PushFleet fleet =
        PushFleet.builder(push.server.webSocketUri(), 40)
            .token(i -> PushTokens.valid("member-" + i))
            .window(8)
            .build()) {
      fleet.onNotification(
          (member, n) ->
              got.computeIfAbsent(member, k -> new CopyOnWriteArrayList<>()).add(n.eventType()));
      fleet.connect().get(60, TimeUnit.SECONDS);
      assertThat(fleet.connected()).isEqualTo(40);
      push.awaitConnections(40);

      push.notify("broadcast", "{'event_type':'to-all','payload':{}}");

      await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == 40);
      assertThat(got.values()).allSatisfy(events -> assertThat(events).containsExactly("to-all"));
      push.sendTo("member-7", "to-seven");
      await().atMost(Duration.ofSeconds(30)).until(() -> got.get(7).size() == 2);
      assertThat(got.get(8)).containsExactly("to-all");
    }
    push.awaitConnections(0);
  }

  private String take() throws InterruptedException {
    PushNotification n = news.poll(30, TimeUnit.SECONDS);
    assertThat(n).as("a notification").isNotNull();
    return n.eventType();
  }
}
