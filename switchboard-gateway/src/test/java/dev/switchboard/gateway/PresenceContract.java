package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Presence} answers, whatever keeps it: each node's {@link Registry} writes its
 * own connections and subscriptions, and presence reads them all together, as the HTTP API reports
 * them.
 *
 * <p>A subclass makes one node's presence ({@link #node}), says whether presences it makes see each
 * other's registries ({@link #sharedBetweenNodes}; the cases on two nodes are skipped when they do
 * not), and, if its engine writes behind the registry's back, waits for those writes in {@link
 * #settle}. {@link #node} is first called from this class's {@code @BeforeEach}, which JUnit runs
 * before a subclass's own: start shared servers in a {@code @BeforeAll}, close presences in an
 * {@code @AfterEach}. Nothing sleeps.
 */
public abstract class PresenceContract {

  /**
   * The presence of one more node of this test's cluster, whose connections are those of {@code
   * local}. Each test starts a cluster of its own.
   */
  protected abstract Presence node(Registry local);

  /**
   * Whether two presences made by {@link #node} in one test see each other's registries: false when
   * each node is its own picture, as {@link Presence#inMemory} is.
   */
  protected abstract boolean sharedBetweenNodes();

  /**
   * Returns once every change made so far through the registries shows in every node's presence,
   * waiting a bounded time for an engine that writes them behind the registry's back. Nothing to
   * wait for in memory.
   */
  protected void settle() throws Exception {}

  /** One node: its registry and its presence. */
  private final class Node {
    final Registry registry = new Registry(RegistryLimits.DEFAULTS, clock);
    final Presence presence = node(registry);

    Connection connect(String userId, String... channels) {
      FakeDevice device = new FakeDevice(userId + "-" + registry.connectionCount(), userId);
      Registry.Reservation place = registry.reserve(userId);
      place.activate(device);
      Connection connection = new Connection(registry, device, place);
      if (channels.length > 0) {
        connection.subscribe(channels);
      }
      return connection;
    }

    /** This node's presence, once every change so far shows in it. */
    Presence presence() throws Exception {
      settle();
      return presence;
    }
  }

  /** One device connected to a node's registry. */
  private record Connection(Registry registry, FakeDevice device, Registry.Reservation place) {
    void subscribe(String... channels) {
      registry.subscribe(device, List.of(channels));
    }

    void unsubscribe(String... channels) {
      registry.unsubscribe(device, List.of(channels));
    }

    void close() {
      place.close();
    }
  }

  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

  private Node here;

  @BeforeEach
  final void startANode() {
    here = new Node();
  }

  private Node there() {
    assumeTrue(sharedBetweenNodes(), "each presence sees its own node only");
    return new Node();
  }

  @Test
  void nobodyIsPresentWhereNobodyIsConnected() throws Exception {
    Presence presence = here.presence();

    assertThat(presence.channels()).isEmpty();
    assertThat(presence.subscribers("news")).isEmpty();
    assertThat(presence.user("alice")).isEmpty();
    assertThat(presence.counts()).isEqualTo(new Presence.Counts(0, 0, 0, 0, 0));
  }

  @Test
  void aConnectedUserIsPresentWithEveryConnectionAndTheChannelsOfAll() throws Exception {
    here.connect("alice", "sports", "news");
    here.connect("alice", "news", "weather");
    here.connect("bob", "chess");

    Presence.User alice = here.presence().user("alice").orElseThrow();

    assertThat(alice.userId()).isEqualTo("alice");
    assertThat(alice.connections()).isEqualTo(2);
    assertThat(alice.channels()).containsExactly("news", "sports", "weather");
  }

  @Test
  void aUserWithoutSubscriptionsIsPresentOnNoChannel() throws Exception {
    here.connect("carol");

    Presence.User carol = here.presence().user("carol").orElseThrow();

    assertThat(carol.connections()).isOne();
    assertThat(carol.channels()).isEmpty();
  }

  @Test
  void aPlaceHeldForAConnectionIsNotYetPresence() throws Exception {
    here.registry.reserve("dave");

    assertThat(here.presence().user("dave")).isEmpty();
    assertThat(here.presence().counts()).isEqualTo(new Presence.Counts(0, 0, 0, 0, 0));
  }

  @Test
  void everyChannelWithSubscribersIsListedByNameWithItsDevices() throws Exception {
    here.connect("alice", "zebra", "news");
    here.connect("alice", "news");
    here.connect("bob", "alpha", "news");

    assertThat(here.presence().channels())
        .containsExactly(Map.entry("alpha", 1), Map.entry("news", 3), Map.entry("zebra", 1));
    assertThat(here.presence().subscribers("news")).isEqualTo(OptionalInt.of(3));
    assertThat(here.presence().subscribers("chess")).isEmpty();
  }

  @Test
  void aChannelIsGoneOnceItsLastSubscriberLeaves() throws Exception {
    Connection phone = here.connect("alice", "news", "sports");
    Connection laptop = here.connect("alice", "news");

    phone.unsubscribe("news");
    assertThat(here.presence().subscribers("news")).isEqualTo(OptionalInt.of(1));
    laptop.close();
    assertThat(here.presence().subscribers("news")).isEmpty();
    assertThat(here.presence().channels()).containsExactly(Map.entry("sports", 1));
  }

  @Test
  void unsubscribingOneDeviceKeepsTheChannelsOfTheUsersOthers() throws Exception {
    Connection phone = here.connect("alice", "news", "sports");
    here.connect("alice", "news");

    phone.unsubscribe("news", "sports");

    assertThat(here.presence().user("alice").orElseThrow().channels()).containsExactly("news");
  }

  @Test
  void aUserIsGoneOnceTheirLastConnectionCloses() throws Exception {
    Connection phone = here.connect("alice", "news");
    Connection laptop = here.connect("alice");

    phone.close();
    assertThat(here.presence().user("alice").orElseThrow().connections()).isOne();
    assertThat(here.presence().user("alice").orElseThrow().channels()).isEmpty();
    laptop.close();
    assertThat(here.presence().user("alice")).isEmpty();
  }

  @Test
  void aChannelIsDatedFromItsFirstSubscriberUntilItHasNone() throws Exception {
    Instant first = clock.instant();
    Connection alice = here.connect("alice", "news");
    clock.advance(Duration.ofMinutes(1));
    Connection bob = here.connect("bob", "news");
    alice.close();

    assertThat(here.presence().channel("news")).contains(new Presence.Channel("news", 1, first));

    bob.close();
    assertThat(here.presence().channel("news")).isEmpty();
    clock.advance(Duration.ofMinutes(1));
    here.connect("carol", "news");
    assertThat(here.presence().channel("news").orElseThrow().createdAt())
        .isEqualTo(first.plus(Duration.ofMinutes(2)));
  }

  @Test
  void theCountsAreConnectionsUsersAndChannels() throws Exception {
    here.connect("alice", "news", "sports");
    here.connect("alice", "news");
    here.connect("bob");

    assertThat(here.presence().counts())
        .as("alice has two devices; three subscriptions in all")
        .isEqualTo(new Presence.Counts(3, 2, 2, 1, 3));
  }

  // On two nodes of one cluster.

  @Test
  void aUsersConnectionsOnEveryNodeAddUp() throws Exception {
    Node there = there();
    here.connect("alice", "news");
    there.connect("alice", "sports");
    there.connect("alice");

    for (Node node : List.of(here, there)) {
      Presence.User alice = node.presence().user("alice").orElseThrow();
      assertThat(alice.connections()).isEqualTo(3);
      assertThat(alice.channels()).containsExactly("news", "sports");
    }
  }

  @Test
  void aChannelsSubscribersOnEveryNodeAddUp() throws Exception {
    Node there = there();
    here.connect("alice", "news");
    there.connect("bob", "news", "chess");

    assertThat(here.presence().channels())
        .containsExactly(Map.entry("chess", 1), Map.entry("news", 2));
    assertThat(there.presence().subscribers("news")).isEqualTo(OptionalInt.of(2));
  }

  @Test
  void theCountsCoverEveryNodeWithAUserOnTwoCountedOnce() throws Exception {
    Node there = there();
    here.connect("alice", "news");
    there.connect("alice", "news");
    there.connect("bob", "chess");

    assertThat(here.presence().counts()).isEqualTo(new Presence.Counts(3, 2, 2, 1, 3));
  }

  @Test
  void aNodesConnectionsLeaveWithoutTakingTheOthers() throws Exception {
    Node there = there();
    here.connect("alice", "news");
    Connection away = there.connect("alice", "news");

    away.close();

    assertThat(here.presence().user("alice").orElseThrow().connections()).isOne();
    assertThat(there.presence().subscribers("news")).isEqualTo(OptionalInt.of(1));
  }
}
