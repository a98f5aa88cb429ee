package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * What every {@link FunctionDirectory} promises, whatever shares it: each node announces its
 * offers, and sees the other live nodes', sorted by id, within 1 s of a change.
 *
 * <p>A subclass makes one more node of this test's cluster ({@link #join}; each test starts a
 * cluster of its own), starts shared servers in a {@code @BeforeAll} and closes what it made in an
 * {@code @AfterEach}. It may widen {@link #loadSeenWithin} when its engine reports the load as of a
 * heartbeat. Nothing sleeps: changes are awaited with a bound.
 */
public abstract class FunctionDirectoryContract {

  /**
   * The spec's 1 s for an announcement or a leave to be seen, plus 500 ms: tests share a noisy
   * machine (a GC pause, a busy CI runner) and a bound this tight would fail for reasons unrelated
   * to the directory; 500 ms more still tells "within a second" from "at the next crash timeout".
   */
  protected static final Duration SEEN_WITHIN = Duration.ofMillis(1_500);

  /** One more node of this test's cluster, with no offers until it announces. */
  protected abstract FunctionDirectory join(String nodeId, String address, LongSupplier load);

  /** How soon a change of a node's load shows in the others' view: {@link #SEEN_WITHIN} here. */
  protected Duration loadSeenWithin() {
    return SEEN_WITHIN;
  }

  private FunctionDirectory join(String nodeId) {
    return join(nodeId, "ws://" + nodeId + ":7070/link", () -> 0);
  }

  private static final Offer RESIZE = new Offer("image.resize", Set.of(), false);
  private static final Offer EMBED = new Offer("text.embed", Set.of("gpu", "model-a"), true);

  /**
   * The others as {@code viewer} sees them once they settle, waiting at most {@link #SEEN_WITHIN}.
   */
  private static void awaitOthers(FunctionDirectory viewer, List<NodeFunctions> expected) {
    await()
        .atMost(SEEN_WITHIN)
        .untilAsserted(() -> assertThat(viewer.others()).isEqualTo(expected));
  }

  @Test
  void anAnnouncementIsSeenByTheOthersWithinOneSecond() {
    FunctionDirectory a = join("node-a");
    FunctionDirectory b = join("node-b", "ws://b.example:7070/link", () -> 0);

    b.announce(List.of(RESIZE));

    awaitOthers(
        a, List.of(new NodeFunctions("node-b", "ws://b.example:7070/link", List.of(RESIZE), 0)));
  }

  @Test
  void aNodeThatLeavesIsGoneFromTheOthersWithinOneSecond() {
    FunctionDirectory a = join("node-a");
    FunctionDirectory b = join("node-b");
    b.announce(List.of(RESIZE));
    await().atMost(SEEN_WITHIN).until(() -> a.others().size() == 1);

    b.close();

    awaitOthers(a, List.of());
  }

  @Test
  void aNodeDoesNotSeeItself() {
    FunctionDirectory a = join("node-a");
    FunctionDirectory b = join("node-b");
    a.announce(List.of(RESIZE));
    b.announce(List.of(EMBED));

    await().atMost(SEEN_WITHIN).until(() -> a.others().size() == 1 && b.others().size() == 1);
    assertThat(a.others()).extracting(NodeFunctions::nodeId).containsExactly("node-b");
    assertThat(b.others()).extracting(NodeFunctions::nodeId).containsExactly("node-a");
  }

  @Test
  void othersAreSortedByNodeId() {
    FunctionDirectory viewer = join("node-m");
    for (String id : List.of("node-z", "node-b", "node-q", "node-a")) {
      join(id).announce(List.of(RESIZE));
    }

    await()
        .atMost(SEEN_WITHIN)
        .untilAsserted(
            () ->
                assertThat(viewer.others())
                    .extracting(NodeFunctions::nodeId)
                    .containsExactly("node-a", "node-b", "node-q", "node-z"));
  }

  @Test
  void anAnnouncementReplacesTheLastOneRatherThanAddingToIt() {
    FunctionDirectory a = join("node-a");
    FunctionDirectory b = join("node-b");
    b.announce(List.of(RESIZE));
    await().atMost(SEEN_WITHIN).until(() -> a.others().size() == 1);

    b.announce(List.of(EMBED));

    await()
        .atMost(SEEN_WITHIN)
        .untilAsserted(
            () ->
                assertThat(a.others())
                    .singleElement()
                    .extracting(NodeFunctions::offers)
                    .isEqualTo(List.of(EMBED)));
  }

  @Test
  void aNodeThatAnnouncesNoOffersIsStillListedWithNone() {
    FunctionDirectory a = join("node-a");
    FunctionDirectory b = join("node-b");
    b.announce(List.of(RESIZE, EMBED));
    await()
        .atMost(SEEN_WITHIN)
        .until(() -> a.others().size() == 1 && !a.others().get(0).offers().isEmpty());

    b.announce(List.of());

    awaitOthers(a, List.of(new NodeFunctions("node-b", "ws://node-b:7070/link", List.of(), 0)));
  }

  @Test
  void aNodeIsListedWithNoOffersBeforeItAnnounces() {
    FunctionDirectory a = join("node-a");
    join("node-b");

    awaitOthers(a, List.of(new NodeFunctions("node-b", "ws://node-b:7070/link", List.of(), 0)));
  }

  @Test
  void aNodesLoadIsReportedAndFollowsItsChanges() {
    AtomicLong load = new AtomicLong(3);
    FunctionDirectory a = join("node-a");
    FunctionDirectory b = join("node-b", "ws://node-b:7070/link", load::get);
    b.announce(List.of(RESIZE));
    await().atMost(loadSeenWithin()).until(() -> loads(a).equals(List.of(3L)));

    load.set(42);

    await().atMost(loadSeenWithin()).until(() -> loads(a).equals(List.of(42L)));
  }

  private static List<Long> loads(FunctionDirectory viewer) {
    return viewer.others().stream().map(NodeFunctions::load).toList();
  }

  @Test
  void eachDirectoryHasTheNodeIdItJoinedWith() {
    FunctionDirectory a = join("node-a");
    FunctionDirectory b = join("node-b");

    assertThat(a.nodeId()).isEqualTo("node-a");
    assertThat(b.nodeId()).isEqualTo("node-b");
  }

  @Test
  void offersTravelExactlyWithTheirResourcesIdempotenceAndOrder() {
    List<Offer> offers =
        List.of(
            new Offer("text.embed", Set.of("model-b", "gpu", "model-a"), true),
            new Offer("image.resize", Set.of(), false),
            new Offer("text.embed", Set.of("cpu"), false),
            new Offer("ünïcödé/fn:v2", Set.of("zone=eu-west-1", "tag\"quoted\""), true));
    FunctionDirectory a = join("node-a");
    FunctionDirectory b = join("node-b", "wss://b.example:8443/link?x=1", () -> 7);

    b.announce(offers);

    awaitOthers(
        a, List.of(new NodeFunctions("node-b", "wss://b.example:8443/link?x=1", offers, 7)));
  }

  @Test
  void closeIsIdempotent() {
    FunctionDirectory a = join("node-a");
    FunctionDirectory b = join("node-b");
    b.announce(List.of(RESIZE));
    await().atMost(SEEN_WITHIN).until(() -> a.others().size() == 1);

    b.close();
    b.close();

    awaitOthers(a, List.of());
  }

  @Test
  void aClosedNodeThatAnnouncesStaysGone() {
    FunctionDirectory a = join("node-a");
    FunctionDirectory b = join("node-b");
    b.close();
    awaitOthers(a, List.of());

    b.announce(List.of(RESIZE));

    await().during(Duration.ofMillis(700)).atMost(SEEN_WITHIN).until(() -> a.others().isEmpty());
  }

  @Test
  void announcingNothingAtAllIsRefused() {
    FunctionDirectory a = join("node-a");

    assertThatThrownBy(() -> a.announce(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("offers");
  }
}
