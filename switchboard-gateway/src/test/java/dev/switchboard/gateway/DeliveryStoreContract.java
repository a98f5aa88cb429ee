package dev.switchboard.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gateway.IdempotencyKeys.Claim;
import dev.switchboard.gateway.Inboxes.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeliveryStore} does, wherever it keeps its state: channel streams and user
 * inboxes give offsets 1, 2, 3 within an epoch and recover exactly what follows a position or say
 * they cannot; inbox entries are owed until done; every structure keeps to its {@link
 * DeliveryLimits} and forgets at its TTL; ACKs and idempotency keys answer as their interfaces say.
 *
 * <p>A subclass makes an empty store ({@link #store}). Time is only ever the {@code now} each call
 * is given, from {@link #START} on, in whole milliseconds; nothing sleeps, and every wait on
 * another thread is bounded.
 */
public abstract class DeliveryStoreContract {

  /** The time every test starts at. */
  protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  /** The longest a test waits for another thread. */
  private static final long WAIT_SECONDS = 10;

  /**
   * An empty store bounded by {@code limits}, sharing nothing with any other store made by this
   * suite (a shared engine gives each its own key prefix, say). Called once or more in each test.
   */
  protected abstract DeliveryStore store(DeliveryLimits limits);

  /** Small limits, so that each bound is reached in a few calls; a test changes what it needs. */
  protected static final class Limits {
    private int historySize = 3;
    private Duration historyTtl = Duration.ofSeconds(60);
    private int historyMaxChannels = 4;
    private int queueSize = 3;
    private Duration queueTtl = Duration.ofHours(1);
    private int queueMaxUsers = 4;
    private Duration ackTimeout = Duration.ofSeconds(30);
    private int acksMaxPending = 4;
    private Duration idempotencyTtl = Duration.ofMinutes(5);
    private int idempotencyMaxKeys = 4;

    Limits historySize(int value) {
      historySize = value;
      return this;
    }

    Limits historyMaxChannels(int value) {
      historyMaxChannels = value;
      return this;
    }

    Limits queueSize(int value) {
      queueSize = value;
      return this;
    }

    Limits queueMaxUsers(int value) {
      queueMaxUsers = value;
      return this;
    }

    Limits acksMaxPending(int value) {
      acksMaxPending = value;
      return this;
    }

    Limits idempotencyMaxKeys(int value) {
      idempotencyMaxKeys = value;
      return this;
    }

    DeliveryLimits build() {
      return new DeliveryLimits(
          historySize,
          historyTtl,
          historyMaxChannels,
          queueSize,
          queueTtl,
          queueMaxUsers,
          ackTimeout,
          acksMaxPending,
          idempotencyTtl,
          idempotencyMaxKeys);
    }
  }

  private static final Duration HISTORY_TTL = new Limits().historyTtl;
  private static final Duration ACK_TIMEOUT = new Limits().ackTimeout;
  private static final Duration IDEMPOTENCY_TTL = new Limits().idempotencyTtl;

  private static Limits limits() {
    return new Limits();
  }

  private DeliveryStore store() {
    return store(limits().build());
  }

  private DeliveryStore store(Limits limits) {
    return store(limits.build());
  }

  private static Instant at(long seconds) {
    return START.plusSeconds(seconds);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static List<Long> offsets(List<StreamEntry> entries) {
    return entries.stream().map(StreamEntry::offset).toList();
  }

  private static List<String> texts(List<StreamEntry> entries) {
    return entries.stream().map(e -> new String(e.message(), UTF_8)).toList();
  }

  private static List<Long> range(long first, long last) {
    return LongStream.rangeClosed(first, last).boxed().toList();
  }

  /** Appends "{@code channel}-1" ... "{@code channel}-n" to {@code channel} at {@code now}. */
  private static List<Position> appendAll(
      ChannelHistory channels, String channel, int n, Instant now) {
    List<Position> tops = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      tops.add(channels.append(channel, UUID.randomUUID(), bytes(channel + "-" + i), now));
    }
    return tops;
  }

  /** Appends "{@code user}-1" ... "{@code user}-n" to {@code user}'s inbox, expiring in 1 h. */
  private static List<Position> appendAll(Inboxes inboxes, String user, int n, Instant now) {
    List<Position> tops = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      tops.add(
          inboxes.append(
              user, UUID.randomUUID(), bytes(user + "-" + i), now.plus(Duration.ofHours(1)), now));
    }
    return tops;
  }

  @Test
  void theStoreReportsTheLimitsItWasMadeWith() {
    DeliveryLimits limits = limits().historySize(7).queueMaxUsers(9).build();

    assertThat(store(limits).limits()).isEqualTo(limits);
  }

  // ---------------------------------------------------------------- channel histories

  @Test
  void eachChannelsOffsetsCountFromOneIndependentlyOfTheOthers() {
    ChannelHistory channels = store().channels();

    Position news1 = channels.append("news", UUID.randomUUID(), bytes("a"), at(0));
    Position news2 = channels.append("news", UUID.randomUUID(), bytes("b"), at(0));
    Position sports1 = channels.append("sports", UUID.randomUUID(), bytes("c"), at(0));
    Position news3 = channels.append("news", UUID.randomUUID(), bytes("d"), at(0));

    assertThat(List.of(news1.offset(), news2.offset(), news3.offset())).containsExactly(1L, 2L, 3L);
    assertThat(sports1.offset()).isEqualTo(1);
    assertThat(news1.stream()).isEqualTo(new StreamId.Channel("news"));
    assertThat(sports1.stream()).isEqualTo(new StreamId.Channel("sports"));
    assertThat(channels.position("news", at(1)).offset()).isEqualTo(3);
    assertThat(channels.position("sports", at(1)).offset()).isEqualTo(1);
  }

  @Test
  void aChannelsEpochIsStableWithinItsStreamAndDiffersBetweenStreams() {
    ChannelHistory channels = store().channels();

    List<Position> news = appendAll(channels, "news", 3, at(0));
    Position sports = channels.append("sports", UUID.randomUUID(), bytes("s"), at(0));

    String epoch = news.getFirst().epoch();
    assertThat(epoch).isNotBlank();
    assertThat(news).extracting(Position::epoch).containsOnly(epoch);
    assertThat(channels.position("news", at(1)).epoch()).isEqualTo(epoch);
    assertThat(sports.epoch()).isNotBlank().isNotEqualTo(epoch);
  }

  @Test
  void anUnknownChannelStandsAtOffsetZeroWithTheEpochItsFirstAppendKeeps() {
    ChannelHistory channels = store().channels();

    Position before = channels.position("news", at(0));
    Position first = channels.append("news", UUID.randomUUID(), bytes("a"), at(1));

    assertThat(before).isEqualTo(new Position(new StreamId.Channel("news"), 0, before.epoch()));
    assertThat(first).isEqualTo(new Position(new StreamId.Channel("news"), 1, before.epoch()));
    Replay fromStart = channels.since("news", 0, before.epoch(), at(2));
    assertThat(fromStart.recovered()).isTrue();
    assertThat(texts(fromStart.entries())).containsExactly("a");
  }

  @Test
  void sinceAnOffsetRecoversExactlyTheEntriesAfterItInOrderWithTheBytesAndIdsGiven() {
    ChannelHistory channels = store().channels();
    UUID id1 = UUID.randomUUID();
    UUID id2 = UUID.randomUUID();
    UUID id3 = UUID.randomUUID();
    channels.append("news", id1, bytes("{\"n\":1}"), at(0));
    channels.append("news", id2, bytes("{\"n\":2}"), at(1));
    Position top = channels.append("news", id3, bytes("{\"n\":3}"), at(2));
    channels.append("sports", UUID.randomUUID(), bytes("other"), at(2));

    Replay replay = channels.since("news", 1, top.epoch(), at(3));

    assertThat(replay.recovered()).isTrue();
    assertThat(replay.top()).isEqualTo(top);
    assertThat(offsets(replay.entries())).containsExactly(2L, 3L);
    assertThat(replay.entries()).extracting(StreamEntry::notificationId).containsExactly(id2, id3);
    assertThat(texts(replay.entries())).containsExactly("{\"n\":2}", "{\"n\":3}");
    assertThat(replay.entries())
        .extracting(StreamEntry::expiresAt)
        .containsExactly(at(1).plus(HISTORY_TTL), at(2).plus(HISTORY_TTL));
    assertThat(offsets(channels.since("news", 0, top.epoch(), at(3)).entries()))
        .containsExactly(1L, 2L, 3L);
  }

  @Test
  void sinceTheTopIsRecoveredWithNothingToReplay() {
    ChannelHistory channels = store().channels();
    Position top = appendAll(channels, "news", 2, at(0)).getLast();

    Replay replay = channels.since("news", 2, top.epoch(), at(1));

    assertThat(replay.recovered()).isTrue();
    assertThat(replay.entries()).isEmpty();
    assertThat(replay.top()).isEqualTo(top);
  }

  @Test
  void sinceAnotherEpochIsNotRecoveredAndCarriesNoEntries() {
    ChannelHistory channels = store().channels();
    Position news = appendAll(channels, "news", 2, at(0)).getLast();
    Position sports = appendAll(channels, "sports", 2, at(0)).getLast();

    Replay foreign = channels.since("news", 1, sports.epoch(), at(1));
    Replay made = channels.since("news", 1, "nonsense", at(1));

    assertThat(foreign.recovered()).isFalse();
    assertThat(foreign.entries()).isEmpty();
    assertThat(foreign.top()).isEqualTo(news);
    assertThat(made.recovered()).isFalse();
    assertThat(made.entries()).isEmpty();
  }

  @Test
  void sinceAnOffsetBeyondTheTopIsNotRecovered() {
    ChannelHistory channels = store().channels();
    Position top = appendAll(channels, "news", 2, at(0)).getLast();

    Replay replay = channels.since("news", 3, top.epoch(), at(1));

    assertThat(replay.recovered()).isFalse();
    assertThat(replay.entries()).isEmpty();
    assertThat(replay.top()).isEqualTo(top);
  }

  @Test
  void sinceAnOffsetWhoseNextEntryWasPushedOutByTheHistorySizeIsNotRecovered() {
    ChannelHistory channels = store(limits().historySize(3)).channels();
    Position top = appendAll(channels, "news", 5, at(0)).getLast();

    Replay lost = channels.since("news", 1, top.epoch(), at(1));
    Replay kept = channels.since("news", 2, top.epoch(), at(1));

    assertThat(lost.recovered()).isFalse();
    assertThat(lost.entries()).isEmpty();
    assertThat(lost.top()).isEqualTo(top);
    assertThat(kept.recovered()).isTrue();
    assertThat(offsets(kept.entries())).containsExactly(3L, 4L, 5L);
    assertThat(texts(kept.entries())).containsExactly("news-3", "news-4", "news-5");
  }

  @Test
  void aChannelEntryIsForgottenAtTheHistoryTtlAndWhatFollowedItIsNoLongerRecovered() {
    ChannelHistory channels = store().channels();
    Position first = channels.append("news", UUID.randomUUID(), bytes("old"), at(0));
    Position top = channels.append("news", UUID.randomUUID(), bytes("new"), at(10));
    Instant firstExpiry = at(0).plus(HISTORY_TTL);

    Replay justBefore = channels.since("news", 0, first.epoch(), firstExpiry.minusMillis(1));
    Replay atExpiry = channels.since("news", 0, first.epoch(), firstExpiry);
    Replay afterIt = channels.since("news", 1, first.epoch(), firstExpiry);
    Replay allGone = channels.since("news", 1, first.epoch(), at(10).plus(HISTORY_TTL));

    assertThat(texts(justBefore.entries())).containsExactly("old", "new");
    assertThat(atExpiry.recovered()).isFalse();
    assertThat(atExpiry.entries()).isEmpty();
    assertThat(atExpiry.top()).isEqualTo(top);
    assertThat(afterIt.recovered()).isTrue();
    assertThat(texts(afterIt.entries())).containsExactly("new");
    assertThat(allGone.recovered()).isFalse();
    assertThat(allGone.top()).isEqualTo(top);
    Replay atTop = channels.since("news", 2, top.epoch(), at(10).plus(HISTORY_TTL));
    assertThat(atTop.recovered()).isTrue();
    assertThat(atTop.entries()).isEmpty();
  }

  @Test
  void anExpiredChannelKeepsItsEpochAndGoesOnCounting() {
    ChannelHistory channels = store().channels();
    Position first = channels.append("news", UUID.randomUUID(), bytes("a"), at(0));
    Instant later = at(0).plus(HISTORY_TTL).plusSeconds(1);

    Position next = channels.append("news", UUID.randomUUID(), bytes("b"), later);

    assertThat(next.epoch()).isEqualTo(first.epoch());
    assertThat(next.offset()).isEqualTo(2);
  }

  @Test
  void theLeastRecentlyUsedChannelIsForgottenBeyondHistoryMaxChannelsAndStartsANewEpoch() {
    ChannelHistory channels = store(limits().historyMaxChannels(2)).channels();
    Position a = appendAll(channels, "a", 2, at(0)).getLast();
    Position b = appendAll(channels, "b", 2, at(1)).getLast();
    channels.position("a", at(2)); // a is now more recent than b

    Position c = channels.append("c", UUID.randomUUID(), bytes("c-1"), at(3));

    assertThat(channels.position("a", at(4))).isEqualTo(a);
    assertThat(channels.totals(at(4)).evicted()).isEqualTo(1);
    // b was forgotten: a position from before is not recovered, and b starts over.
    Replay bReplay = channels.since("b", 1, b.epoch(), at(5));
    assertThat(bReplay.recovered()).isFalse();
    assertThat(bReplay.entries()).isEmpty();
    assertThat(bReplay.top().offset()).isZero();
    assertThat(bReplay.top().epoch()).isNotEqualTo(b.epoch());
    Position bAgain = channels.append("b", UUID.randomUUID(), bytes("b-again"), at(6));
    assertThat(bAgain.offset()).isEqualTo(1);
    assertThat(bAgain.epoch()).isEqualTo(bReplay.top().epoch()).isNotEqualTo(b.epoch());
    assertThat(c.offset()).isEqualTo(1);
  }

  @Test
  void channelTotalsCountStreamsKeptEntriesAndEvictions() {
    ChannelHistory channels = store(limits().historySize(3).historyMaxChannels(3)).channels();
    assertThat(channels.totals(at(0))).isEqualTo(new ChannelHistory.Totals(0, 0, 0));

    appendAll(channels, "news", 5, at(0)); // 3 kept
    appendAll(channels, "sports", 1, at(10));
    assertThat(channels.totals(at(11))).isEqualTo(new ChannelHistory.Totals(2, 4, 0));

    // news's entries expire before sports's.
    assertThat(channels.totals(at(0).plus(HISTORY_TTL)))
        .isEqualTo(new ChannelHistory.Totals(2, 1, 0));

    appendAll(channels, "weather", 1, at(20));
    appendAll(channels, "traffic", 2, at(20)); // news, the least recently used, goes
    assertThat(channels.totals(at(21))).isEqualTo(new ChannelHistory.Totals(3, 4, 1));
  }

  // ---------------------------------------------------------------- inboxes

  @Test
  void eachInboxsOffsetsCountFromOneWithAnEpochOfItsOwn() {
    Inboxes inboxes = store().inboxes();

    Position before = inboxes.position("alice", at(0));
    List<Position> alice = appendAll(inboxes, "alice", 3, at(1));
    Position bob = appendAll(inboxes, "bob", 1, at(1)).getFirst();

    assertThat(before.offset()).isZero();
    assertThat(before.stream()).isEqualTo(new StreamId.Inbox("alice"));
    assertThat(alice).extracting(Position::offset).containsExactly(1L, 2L, 3L);
    assertThat(alice).extracting(Position::epoch).containsOnly(before.epoch());
    assertThat(bob.offset()).isEqualTo(1);
    assertThat(bob.stream()).isEqualTo(new StreamId.Inbox("bob"));
    assertThat(bob.epoch()).isNotEqualTo(before.epoch());
  }

  @Test
  void anAppendedEntryIsQueuedAndOwedWithTheBytesIdAndExpiryGiven() {
    DeliveryStore store = store();
    UUID id = UUID.randomUUID();
    Instant expiresAt = at(600);

    store.inboxes().append("alice", id, bytes("hello"), expiresAt, at(0));

    List<StreamEntry> owed = store.inboxes().owed("alice", at(1));
    assertThat(owed).hasSize(1);
    assertThat(owed.getFirst().offset()).isEqualTo(1);
    assertThat(owed.getFirst().notificationId()).isEqualTo(id);
    assertThat(owed.getFirst().message()).isEqualTo(bytes("hello"));
    assertThat(owed.getFirst().expiresAt()).isEqualTo(expiresAt);
    assertThat(store.inboxes().totals(at(1))).isEqualTo(new Inboxes.Totals(1, 1, 1, 0, 0, 0));
    assertThat(store.inboxes().owed("bob", at(1))).isEmpty();
  }

  @Test
  void anEntryDeliveredToADeviceThatDoesNotAcknowledgeIsDoneAndNoLongerOwed() {
    Inboxes inboxes = store().inboxes();
    UUID id = UUID.randomUUID();
    inboxes.append("alice", id, bytes("a"), at(600), at(0));

    inboxes.delivered("alice", 1, false, at(1));

    assertThat(inboxes.owed("alice", at(2))).isEmpty();
    assertThat(inboxes.totals(at(2))).isEqualTo(new Inboxes.Totals(1, 1, 0, 0, 0, 0));
    assertThat(inboxes.ack("alice", id, at(3))).contains(State.DONE);
  }

  @Test
  void anEntryDeliveredToADeviceThatAcknowledgesIsOwedUntilItsAck() {
    Inboxes inboxes = store().inboxes();
    UUID id = UUID.randomUUID();
    inboxes.append("alice", id, bytes("a"), at(600), at(0));

    inboxes.delivered("alice", 1, true, at(1));

    assertThat(offsets(inboxes.owed("alice", at(2)))).containsExactly(1L);
    assertThat(inboxes.totals(at(2))).isEqualTo(new Inboxes.Totals(1, 1, 0, 1, 0, 0));
    assertThat(inboxes.ack("alice", id, at(3))).contains(State.AWAITING_ACK);
    assertThat(inboxes.owed("alice", at(4))).isEmpty();
    assertThat(inboxes.totals(at(4))).isEqualTo(new Inboxes.Totals(1, 1, 0, 0, 0, 0));
  }

  @Test
  void aLaterDeliveryToADeviceThatDoesNotAcknowledgeLeavesTheEntryAwaitingItsAck() {
    Inboxes inboxes = store().inboxes();
    appendAll(inboxes, "alice", 1, at(0));

    inboxes.delivered("alice", 1, true, at(1));
    inboxes.delivered("alice", 1, false, at(2));

    assertThat(offsets(inboxes.owed("alice", at(3)))).containsExactly(1L);
    assertThat(inboxes.totals(at(3)).awaitingAck()).isEqualTo(1);
  }

  @Test
  void aDeliveryAfterTheAckNeverMakesTheEntryOwedAgain() {
    Inboxes inboxes = store().inboxes();
    UUID acked = UUID.randomUUID();
    UUID ackedWhileQueued = UUID.randomUUID();
    inboxes.append("alice", acked, bytes("a"), at(600), at(0));
    inboxes.append("alice", ackedWhileQueued, bytes("b"), at(600), at(0));
    inboxes.delivered("alice", 1, true, at(1));
    inboxes.ack("alice", acked, at(2));
    assertThat(inboxes.ack("alice", ackedWhileQueued, at(2))).contains(State.QUEUED);

    inboxes.delivered("alice", 1, true, at(3));
    inboxes.delivered("alice", 1, false, at(3));
    inboxes.delivered("alice", 2, true, at(3));

    assertThat(inboxes.owed("alice", at(4))).isEmpty();
    assertThat(inboxes.totals(at(4))).isEqualTo(new Inboxes.Totals(1, 2, 0, 0, 0, 0));
    assertThat(inboxes.ack("alice", acked, at(5))).contains(State.DONE);
  }

  @Test
  void aDeliveryOfAnOffsetTheInboxDoesNotHoldChangesNothing() {
    Inboxes inboxes = store().inboxes();
    appendAll(inboxes, "alice", 1, at(0));

    inboxes.delivered("alice", 2, false, at(1));
    inboxes.delivered("alice", 0, false, at(1));
    inboxes.delivered("bob", 1, false, at(1));

    assertThat(offsets(inboxes.owed("alice", at(2)))).containsExactly(1L);
    assertThat(inboxes.totals(at(2)).queued()).isEqualTo(1);
  }

  @Test
  void owedEntriesAreTheQueuedAndAwaitingOnesInOffsetOrder() {
    Inboxes inboxes = store(limits().queueSize(10)).inboxes();
    appendAll(inboxes, "alice", 5, at(0));

    inboxes.delivered("alice", 4, true, at(1));
    inboxes.delivered("alice", 2, false, at(1));
    inboxes.delivered("alice", 1, true, at(1));

    List<StreamEntry> owed = inboxes.owed("alice", at(2));
    assertThat(offsets(owed)).containsExactly(1L, 3L, 4L, 5L);
    assertThat(texts(owed)).containsExactly("alice-1", "alice-3", "alice-4", "alice-5");
    assertThat(inboxes.totals(at(2))).isEqualTo(new Inboxes.Totals(1, 5, 2, 2, 0, 0));
  }

  @Test
  void anAckAnswersTheStateBeforeAndNothingForAnUnknownIdOrAnotherUsersEntry() {
    Inboxes inboxes = store().inboxes();
    UUID queued = UUID.randomUUID();
    UUID awaiting = UUID.randomUUID();
    UUID bobs = UUID.randomUUID();
    inboxes.append("alice", queued, bytes("q"), at(600), at(0));
    inboxes.append("alice", awaiting, bytes("w"), at(600), at(0));
    inboxes.append("bob", bobs, bytes("b"), at(600), at(0));
    inboxes.delivered("alice", 2, true, at(1));

    assertThat(inboxes.ack("alice", UUID.randomUUID(), at(2))).isEmpty();
    assertThat(inboxes.ack("alice", bobs, at(2))).isEmpty();
    assertThat(inboxes.ack("carol", queued, at(2))).isEmpty();
    assertThat(inboxes.ack("alice", awaiting, at(2))).contains(State.AWAITING_ACK);
    assertThat(inboxes.ack("alice", awaiting, at(3))).contains(State.DONE);
    assertThat(inboxes.ack("alice", queued, at(3))).contains(State.QUEUED);
    // bob's entry is untouched by alice's ack of its id.
    assertThat(offsets(inboxes.owed("bob", at(4)))).containsExactly(1L);
  }

  @Test
  void aFullInboxForgetsItsOldestEntryCountedDroppedOnlyWhenItWasOwed() {
    Inboxes inboxes = store(limits().queueSize(2)).inboxes();
    appendAll(inboxes, "alice", 2, at(0));
    inboxes.delivered("alice", 1, false, at(1)); // done: its loss costs nothing

    inboxes.append("alice", UUID.randomUUID(), bytes("alice-3"), at(600), at(2));
    assertThat(inboxes.totals(at(2)).dropped()).isZero();

    inboxes.append("alice", UUID.randomUUID(), bytes("alice-4"), at(600), at(3)); // 2 was queued
    Inboxes.Totals totals = inboxes.totals(at(3));
    assertThat(totals.dropped()).isEqualTo(1);
    assertThat(totals.entries()).isEqualTo(2);
    assertThat(texts(inboxes.owed("alice", at(3)))).containsExactly("alice-3", "alice-4");

    inboxes.delivered("alice", 3, true, at(4));
    appendAll(inboxes, "alice", 1, at(5)); // 3 was awaiting its ACK
    assertThat(inboxes.totals(at(5)).dropped()).isEqualTo(2);
  }

  @Test
  void anInboxEntryIsForgottenAtItsExpiryCountedExpiredOnlyWhenItWasOwed() {
    Inboxes inboxes = store(limits().queueSize(10)).inboxes();
    inboxes.append("alice", UUID.randomUUID(), bytes("queued"), at(100), at(0));
    inboxes.append("alice", UUID.randomUUID(), bytes("done"), at(100), at(0));
    inboxes.append("alice", UUID.randomUUID(), bytes("awaiting"), at(200), at(0));
    inboxes.delivered("alice", 2, false, at(1));
    inboxes.delivered("alice", 3, true, at(1));

    assertThat(texts(inboxes.owed("alice", at(100).minusMillis(1))))
        .containsExactly("queued", "awaiting");
    assertThat(texts(inboxes.owed("alice", at(100)))).containsExactly("awaiting");
    assertThat(inboxes.totals(at(100))).isEqualTo(new Inboxes.Totals(1, 1, 0, 1, 1, 0));
    assertThat(inboxes.owed("alice", at(200))).isEmpty();
    assertThat(inboxes.totals(at(200))).isEqualTo(new Inboxes.Totals(1, 0, 0, 0, 2, 0));
  }

  @Test
  void entriesExpireEachAtItsOwnTimeAndAGapStopsRecoveryAcrossIt() {
    Inboxes inboxes = store(limits().queueSize(10)).inboxes();
    Position first = inboxes.append("alice", UUID.randomUUID(), bytes("long"), at(500), at(0));
    inboxes.append("alice", UUID.randomUUID(), bytes("short"), at(50), at(0));
    Position top = inboxes.append("alice", UUID.randomUUID(), bytes("mid"), at(300), at(0));

    assertThat(texts(inboxes.owed("alice", at(60)))).containsExactly("long", "mid");
    Replay acrossGap = inboxes.since("alice", 1, first.epoch(), at(60));
    Replay afterGap = inboxes.since("alice", 2, first.epoch(), at(60));
    assertThat(acrossGap.recovered()).isFalse();
    assertThat(acrossGap.entries()).isEmpty();
    assertThat(acrossGap.top()).isEqualTo(top);
    assertThat(afterGap.recovered()).isTrue();
    assertThat(texts(afterGap.entries())).containsExactly("mid");
    assertThat(texts(inboxes.owed("alice", at(300)))).containsExactly("long");
    assertThat(inboxes.totals(at(300)).expired()).isEqualTo(2);
  }

  @Test
  void inboxSinceRecoversExactlyWhatFollowsAsForChannels() {
    Inboxes inboxes = store(limits().queueSize(3)).inboxes();
    List<Position> tops = appendAll(inboxes, "alice", 3, at(0));
    Position top = tops.getLast();
    String bobsEpoch = appendAll(inboxes, "bob", 1, at(0)).getFirst().epoch();
    inboxes.delivered("alice", 2, false, at(1)); // done entries are history still

    Replay fromOne = inboxes.since("alice", 1, top.epoch(), at(2));
    assertThat(fromOne.recovered()).isTrue();
    assertThat(fromOne.top()).isEqualTo(top);
    assertThat(offsets(fromOne.entries())).containsExactly(2L, 3L);
    assertThat(texts(fromOne.entries())).containsExactly("alice-2", "alice-3");

    Replay atTop = inboxes.since("alice", 3, top.epoch(), at(2));
    assertThat(atTop.recovered()).isTrue();
    assertThat(atTop.entries()).isEmpty();

    assertThat(inboxes.since("alice", 1, bobsEpoch, at(2)).recovered()).isFalse();
    assertThat(inboxes.since("alice", 4, top.epoch(), at(2)).recovered()).isFalse();

    appendAll(inboxes, "alice", 1, at(3)); // pushes out offset 1
    Replay pushedOut = inboxes.since("alice", 0, top.epoch(), at(4));
    assertThat(pushedOut.recovered()).isFalse();
    assertThat(pushedOut.entries()).isEmpty();
    assertThat(pushedOut.top().offset()).isEqualTo(4);
    assertThat(offsets(inboxes.since("alice", 1, top.epoch(), at(4)).entries()))
        .containsExactly(2L, 3L, 4L);
  }

  @Test
  void theLeastRecentlyUsedInboxIsForgottenBeyondQueueMaxUsersItsOwedEntriesCountedDropped() {
    Inboxes inboxes = store(limits().queueMaxUsers(2)).inboxes();
    Position alice = appendAll(inboxes, "alice", 1, at(0)).getLast();
    Position bob = appendAll(inboxes, "bob", 3, at(1)).getLast();
    inboxes.delivered("bob", 1, false, at(2)); // done: not owed, not counted
    inboxes.delivered("bob", 2, true, at(2));
    inboxes.owed("alice", at(3)); // alice is now more recent than bob

    appendAll(inboxes, "carol", 1, at(4));

    assertThat(inboxes.position("alice", at(5))).isEqualTo(alice);
    Inboxes.Totals totals = inboxes.totals(at(5));
    assertThat(totals.users()).isEqualTo(2);
    assertThat(totals.entries()).isEqualTo(2);
    assertThat(totals.dropped()).isEqualTo(2);
    assertThat(inboxes.owed("bob", at(6))).isEmpty();
    Position bobAgain = inboxes.position("bob", at(6));
    assertThat(bobAgain.offset()).isZero();
    assertThat(bobAgain.epoch()).isNotEqualTo(bob.epoch());
    assertThat(inboxes.since("bob", 3, bob.epoch(), at(6)).recovered()).isFalse();
  }

  @Test
  void anInboxThatOwesNothingIsForgottenBeforeOneThatOwes() {
    Inboxes inboxes = store(limits().queueMaxUsers(2)).inboxes();
    Position alice = appendAll(inboxes, "alice", 1, at(0)).getLast(); // queued: owed
    appendAll(inboxes, "bob", 1, at(1));
    inboxes.delivered("bob", 1, false, at(1)); // bob owes nothing, yet is more recent

    appendAll(inboxes, "carol", 1, at(2));

    assertThat(inboxes.position("alice", at(3))).isEqualTo(alice);
    assertThat(inboxes.owed("alice", at(3))).hasSize(1);
    assertThat(inboxes.totals(at(3)).dropped()).isZero();
  }

  @Test
  void readingAUsersOwedEntriesOrAckingMakesNoInbox() {
    Inboxes inboxes = store().inboxes();

    assertThat(inboxes.owed("nobody", at(0))).isEmpty();
    assertThat(inboxes.ack("nobody", UUID.randomUUID(), at(0))).isEmpty();
    inboxes.delivered("nobody", 1, true, at(0));

    assertThat(inboxes.totals(at(1)).users()).isZero();
  }

  @Test
  void aForgottenInboxsEntriesAlreadyPastTheirExpiryCountExpiredNotDropped() {
    Inboxes inboxes = store(limits().queueMaxUsers(1)).inboxes();
    inboxes.append("alice", UUID.randomUUID(), bytes("stale"), at(10), at(0));
    inboxes.append("alice", UUID.randomUUID(), bytes("fresh"), at(600), at(0));

    appendAll(inboxes, "bob", 1, at(20)); // alice goes; her first entry expired at 10

    Inboxes.Totals totals = inboxes.totals(at(20));
    assertThat(totals.expired()).isEqualTo(1);
    assertThat(totals.dropped()).isEqualTo(1);
  }

  @Test
  void inboxTotalsCountUsersEntriesQueuedAndAwaiting() {
    Inboxes inboxes = store().inboxes();
    assertThat(inboxes.totals(at(0))).isEqualTo(new Inboxes.Totals(0, 0, 0, 0, 0, 0));

    appendAll(inboxes, "alice", 3, at(0));
    appendAll(inboxes, "bob", 2, at(0));
    inboxes.delivered("alice", 1, true, at(1));
    inboxes.delivered("alice", 2, false, at(1));
    inboxes.delivered("bob", 2, true, at(1));

    assertThat(inboxes.totals(at(2))).isEqualTo(new Inboxes.Totals(2, 5, 2, 2, 0, 0));
  }

  // ---------------------------------------------------------------- ACKs

  @Test
  void aDeliveredNotificationIsAcknowledgedOnceThenAlreadyAcknowledged() {
    Acks acks = store().acks();
    UUID id = UUID.randomUUID();
    acks.delivered("alice", id, at(0));
    assertThat(acks.stats(at(0))).isEqualTo(new Acks.Stats(1, 0, 0, 0, 0));

    assertThat(acks.ack("alice", id, at(1))).isEqualTo(Acks.Outcome.ACKNOWLEDGED);
    assertThat(acks.ack("alice", id, at(2))).isEqualTo(Acks.Outcome.ALREADY_ACKNOWLEDGED);

    Acks.Stats stats = acks.stats(at(2));
    assertThat(stats.pending()).isZero();
    assertThat(stats.acknowledged()).isEqualTo(1);
    assertThat(stats.averageAckTimeMs()).isEqualTo(1000.0);
    // An acknowledged delivery never counts as expired.
    assertThat(acks.stats(at(0).plus(ACK_TIMEOUT).plusSeconds(1)).expired()).isZero();
  }

  @Test
  void anAckFromAnotherUserIsUnknownAndChangesNothing() {
    Acks acks = store().acks();
    UUID id = UUID.randomUUID();
    acks.delivered("alice", id, at(0));

    assertThat(acks.ack("bob", id, at(1))).isEqualTo(Acks.Outcome.UNKNOWN);

    assertThat(acks.stats(at(1))).isEqualTo(new Acks.Stats(1, 0, 0, 0, 0));
    assertThat(acks.ack("alice", id, at(2))).isEqualTo(Acks.Outcome.ACKNOWLEDGED);
  }

  @Test
  void anAckOfANotificationNeverDeliveredIsUnknown() {
    Acks acks = store().acks();
    acks.delivered("alice", UUID.randomUUID(), at(0));

    assertThat(acks.ack("alice", UUID.randomUUID(), at(1))).isEqualTo(Acks.Outcome.UNKNOWN);
    assertThat(acks.stats(at(1))).isEqualTo(new Acks.Stats(1, 0, 0, 0, 0));
  }

  @Test
  void aDeliveryNotAcknowledgedWithinTheTimeoutExpiresAndItsLateAckIsUnknown() {
    Acks acks = store().acks();
    UUID id = UUID.randomUUID();
    acks.delivered("alice", id, at(0));
    Instant timeout = at(0).plus(ACK_TIMEOUT);

    assertThat(acks.stats(timeout.minusMillis(1))).isEqualTo(new Acks.Stats(1, 0, 0, 0, 0));
    assertThat(acks.stats(timeout)).isEqualTo(new Acks.Stats(0, 0, 1, 0, 0));
    assertThat(acks.ack("alice", id, timeout.plusSeconds(1))).isEqualTo(Acks.Outcome.UNKNOWN);
    assertThat(acks.stats(timeout.plusSeconds(1))).isEqualTo(new Acks.Stats(0, 0, 1, 0, 0));
  }

  @Test
  void anAckJustBeforeTheTimeoutCounts() {
    Acks acks = store().acks();
    UUID id = UUID.randomUUID();
    acks.delivered("alice", id, at(0));

    Instant late = at(0).plus(ACK_TIMEOUT).minusMillis(1);
    assertThat(acks.ack("alice", id, late)).isEqualTo(Acks.Outcome.ACKNOWLEDGED);
    assertThat(acks.stats(late).averageAckTimeMs()).isEqualTo(ACK_TIMEOUT.toMillis() - 1.0);
  }

  @Test
  void theAverageAckTimeIsTakenFromTheInstantsGiven() {
    Acks acks = store().acks();
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    UUID never = UUID.randomUUID();
    acks.delivered("alice", first, at(0));
    acks.delivered("bob", second, at(0));
    acks.delivered("carol", never, at(0));
    assertThat(acks.stats(at(0)).averageAckTimeMs()).isZero();

    acks.ack("alice", first, at(0).plusMillis(200));
    acks.ack("bob", second, at(0).plusMillis(600));
    acks.ack("bob", second, at(5)); // a repeat changes nothing

    Acks.Stats stats = acks.stats(at(6));
    assertThat(stats.averageAckTimeMs()).isEqualTo(400.0);
    assertThat(stats.acknowledged()).isEqualTo(2);
    assertThat(stats.pending()).isEqualTo(1);
  }

  @Test
  void deliveriesBeyondAcksMaxPendingAreUntrackedAndTheirAckIsUnknown() {
    Acks acks = store(limits().acksMaxPending(2)).acks();
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID c = UUID.randomUUID();
    acks.delivered("alice", a, at(0));
    acks.delivered("alice", b, at(0));

    acks.delivered("alice", c, at(1));

    assertThat(acks.stats(at(1))).isEqualTo(new Acks.Stats(2, 0, 0, 0, 1));
    assertThat(acks.ack("alice", c, at(2))).isEqualTo(Acks.Outcome.UNKNOWN);
    assertThat(acks.ack("alice", a, at(2))).isEqualTo(Acks.Outcome.ACKNOWLEDGED);
  }

  @Test
  void roomForPendingDeliveriesComesBackWithAnAckOrATimeout() {
    Acks acks = store(limits().acksMaxPending(1)).acks();
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID c = UUID.randomUUID();
    acks.delivered("alice", a, at(0));
    acks.ack("alice", a, at(1));

    acks.delivered("alice", b, at(2)); // room after a's ack
    Instant bTimedOut = at(2).plus(ACK_TIMEOUT);
    acks.delivered("alice", c, bTimedOut); // room after b's timeout

    assertThat(acks.stats(bTimedOut)).isEqualTo(new Acks.Stats(1, 1, 1, 1000.0, 0));
    assertThat(acks.ack("alice", c, bTimedOut.plusSeconds(1))).isEqualTo(Acks.Outcome.ACKNOWLEDGED);
  }

  @Test
  void aSecondDeliveryOfTheSameNotificationToTheSameUserIsIgnored() {
    Acks acks = store().acks();
    UUID id = UUID.randomUUID();
    acks.delivered("alice", id, at(0));

    acks.delivered("alice", id, at(20)); // does not restart the timeout

    assertThat(acks.stats(at(20)).pending()).isEqualTo(1);
    assertThat(acks.stats(at(0).plus(ACK_TIMEOUT))).isEqualTo(new Acks.Stats(0, 0, 1, 0, 0));
    assertThat(acks.ack("alice", id, at(0).plus(ACK_TIMEOUT))).isEqualTo(Acks.Outcome.UNKNOWN);
  }

  @Test
  void aRepeatedDeliveryAfterTheAckDoesNotMakeItPendingAgain() {
    Acks acks = store().acks();
    UUID id = UUID.randomUUID();
    acks.delivered("alice", id, at(0));
    acks.ack("alice", id, at(1));

    acks.delivered("alice", id, at(2));

    assertThat(acks.stats(at(2)).pending()).isZero();
    assertThat(acks.ack("alice", id, at(3))).isEqualTo(Acks.Outcome.ALREADY_ACKNOWLEDGED);
  }

  @Test
  void theSameNotificationDeliveredToTwoUsersWaitsForEachOfTheirAcks() {
    Acks acks = store().acks();
    UUID id = UUID.randomUUID();
    acks.delivered("alice", id, at(0));
    acks.delivered("bob", id, at(0));

    assertThat(acks.ack("alice", id, at(1))).isEqualTo(Acks.Outcome.ACKNOWLEDGED);
    assertThat(acks.stats(at(1)).pending()).isEqualTo(1);
    assertThat(acks.ack("bob", id, at(2))).isEqualTo(Acks.Outcome.ACKNOWLEDGED);
  }

  // ---------------------------------------------------------------- idempotency keys

  @Test
  void aFirstClaimOfAKeyIsTheCallers() {
    IdempotencyKeys keys = store().idempotency();

    assertThat(keys.claim("k1", "f1", at(0))).isInstanceOf(Claim.Claimed.class);
    assertThat(keys.size(at(0))).isEqualTo(1);
  }

  @Test
  void aRepeatWhileTheFirstSendIsInProgressIsToldSo() {
    IdempotencyKeys keys = store().idempotency();
    keys.claim("k1", "f1", at(0));

    assertThat(keys.claim("k1", "f1", at(1))).isInstanceOf(Claim.InProgress.class);
    assertThat(keys.claim("k1", "f1", at(2))).isInstanceOf(Claim.InProgress.class);
  }

  @Test
  void aRepeatAfterCompletionIsAnsweredWithTheSameBytes() {
    IdempotencyKeys keys = store().idempotency();
    keys.claim("k1", "f1", at(0));
    byte[] answer = bytes("{\"id\":\"n-1\",\"delivered_to\":2}");

    keys.complete("k1", answer, at(1));
    answer[0] = 'X'; // the caller's array is not the one kept

    for (int i = 0; i < 2; i++) {
      Claim repeat = keys.claim("k1", "f1", at(2 + i));
      assertThat(repeat).isInstanceOf(Claim.Answered.class);
      byte[] got = ((Claim.Answered) repeat).answer();
      assertThat(new String(got, UTF_8)).isEqualTo("{\"id\":\"n-1\",\"delivered_to\":2}");
      got[0] = 'Y'; // nor is the one a repeat gets
    }
  }

  @Test
  void theSameKeyForAnotherRequestIsAMismatchInProgressOrAnswered() {
    IdempotencyKeys keys = store().idempotency();
    keys.claim("k1", "f1", at(0));

    assertThat(keys.claim("k1", "f2", at(1))).isInstanceOf(Claim.Mismatch.class);
    keys.complete("k1", bytes("answer"), at(2));
    assertThat(keys.claim("k1", "f2", at(3))).isInstanceOf(Claim.Mismatch.class);
    assertThat(keys.claim("k1", "f1", at(4))).isInstanceOf(Claim.Answered.class);
  }

  @Test
  void aReleasedKeyIsTheNextClaimersAgain() {
    IdempotencyKeys keys = store().idempotency();
    keys.claim("k1", "f1", at(0));

    keys.release("k1");

    assertThat(keys.size(at(1))).isZero();
    assertThat(keys.claim("k1", "f2", at(1))).isInstanceOf(Claim.Claimed.class);
    assertThat(keys.claim("k1", "f2", at(2))).isInstanceOf(Claim.InProgress.class);
  }

  @Test
  void anAnsweredKeyIsKeptForTheTtlThenCanBeClaimedAgain() {
    IdempotencyKeys keys = store().idempotency();
    keys.claim("k1", "f1", at(0));
    keys.complete("k1", bytes("answer"), at(0));
    Instant expiry = at(0).plus(IDEMPOTENCY_TTL);

    assertThat(keys.claim("k1", "f1", expiry.minusMillis(1))).isInstanceOf(Claim.Answered.class);
    assertThat(keys.size(expiry.minusMillis(1))).isEqualTo(1);
    assertThat(keys.size(expiry)).isZero();
    assertThat(keys.claim("k1", "f2", expiry)).isInstanceOf(Claim.Claimed.class);
  }

  @Test
  void aClaimNeverCompletedIsFreedAfterTheTtl() {
    IdempotencyKeys keys = store().idempotency();
    keys.claim("k1", "f1", at(0));
    Instant expiry = at(0).plus(IDEMPOTENCY_TTL);

    assertThat(keys.claim("k1", "f1", expiry.minusMillis(1))).isInstanceOf(Claim.InProgress.class);
    assertThat(keys.claim("k1", "f1", expiry)).isInstanceOf(Claim.Claimed.class);
  }

  @Test
  void beyondIdempotencyMaxKeysANewKeyIsRefusedWhileTheKeptOnesStillAnswer() {
    IdempotencyKeys keys = store(limits().idempotencyMaxKeys(2)).idempotency();
    keys.claim("k1", "f1", at(0));
    keys.complete("k1", bytes("one"), at(0));
    keys.claim("k2", "f2", at(0));

    assertThat(keys.claim("k3", "f3", at(1))).isInstanceOf(Claim.Full.class);
    assertThat(keys.size(at(1))).isEqualTo(2);
    assertThat(keys.claim("k1", "f1", at(1))).isInstanceOf(Claim.Answered.class);
    assertThat(keys.claim("k2", "f2", at(1))).isInstanceOf(Claim.InProgress.class);
    assertThat(keys.claim("k1", "other", at(1))).isInstanceOf(Claim.Mismatch.class);
  }

  @Test
  void roomForKeysComesBackWhenKeysExpireOrAreReleased() {
    IdempotencyKeys keys = store(limits().idempotencyMaxKeys(2)).idempotency();
    keys.claim("k1", "f1", at(0));
    keys.claim("k2", "f2", at(10));
    assertThat(keys.claim("k3", "f3", at(20))).isInstanceOf(Claim.Full.class);

    keys.release("k2");
    assertThat(keys.claim("k3", "f3", at(21))).isInstanceOf(Claim.Claimed.class);
    assertThat(keys.claim("k4", "f4", at(22))).isInstanceOf(Claim.Full.class);

    Instant k1Expired = at(0).plus(IDEMPOTENCY_TTL);
    assertThat(keys.claim("k4", "f4", k1Expired)).isInstanceOf(Claim.Claimed.class);
    assertThat(keys.size(k1Expired)).isEqualTo(2);
  }

  @Test
  void sizeCountsClaimedAndAnsweredKeysStillInTheirWindow() {
    IdempotencyKeys keys = store().idempotency();
    assertThat(keys.size(at(0))).isZero();
    keys.claim("k1", "f1", at(0));
    keys.claim("k2", "f2", at(0));
    keys.complete("k2", bytes("two"), at(0));
    keys.claim("k3", "f3", at(100));

    assertThat(keys.size(at(100))).isEqualTo(3);
    assertThat(keys.size(at(0).plus(IDEMPOTENCY_TTL))).isEqualTo(1);
    assertThat(keys.size(at(100).plus(IDEMPOTENCY_TTL))).isZero();
  }

  // ---------------------------------------------------------------- concurrency

  private static final int THREADS = 8;
  private static final int PER_THREAD = 200;
  private static final int TOTAL = THREADS * PER_THREAD;

  /**
   * Runs {@code task} on {@link #THREADS} threads released together, and gathers what each
   * returned.
   */
  private static <R> List<R> inParallel(Callable<List<R>> task) throws Exception {
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<List<R>>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  if (!start.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never started");
                  }
                  return task.call();
                }));
      }
      assertThat(ready.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      start.countDown();
      List<R> all = new ArrayList<>();
      for (Future<List<R>> future : futures) {
        all.addAll(future.get(WAIT_SECONDS, TimeUnit.SECONDS));
      }
      return all;
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
  }

  private record Appended(long offset, UUID id, String epoch) {}

  /** Checks that {@code appended} got offsets 1..TOTAL, once each, and {@code replay} agrees. */
  private static void assertGapFreeAndInOrder(List<Appended> appended, Replay replay) {
    assertThat(appended).extracting(Appended::epoch).containsOnly(replay.top().epoch());
    Map<Long, UUID> byOffset = new HashMap<>();
    for (Appended a : appended) {
      assertThat(byOffset.put(a.offset(), a.id())).as("offset %d given twice", a.offset()).isNull();
    }
    assertThat(byOffset.keySet()).containsExactlyInAnyOrderElementsOf(range(1, TOTAL));
    assertThat(replay.recovered()).isTrue();
    assertThat(replay.top().offset()).isEqualTo(TOTAL);
    assertThat(offsets(replay.entries())).containsExactlyElementsOf(range(1, TOTAL));
    for (StreamEntry entry : replay.entries()) {
      assertThat(entry.notificationId()).isEqualTo(byOffset.get(entry.offset()));
      assertThat(new String(entry.message(), UTF_8)).isEqualTo(entry.notificationId().toString());
    }
  }

  @Test
  void concurrentAppendsToOneChannelGetDistinctGapFreeOffsetsReplayedInOrder() throws Exception {
    ChannelHistory channels = store(limits().historySize(TOTAL)).channels();

    List<Appended> appended =
        inParallel(
            () -> {
              List<Appended> mine = new ArrayList<>();
              for (int i = 0; i < PER_THREAD; i++) {
                UUID id = UUID.randomUUID();
                Position top = channels.append("news", id, bytes(id.toString()), at(0));
                mine.add(new Appended(top.offset(), id, top.epoch()));
              }
              return mine;
            });

    String epoch = appended.getFirst().epoch();
    assertGapFreeAndInOrder(appended, channels.since("news", 0, epoch, at(1)));
  }

  @Test
  void concurrentAppendsToOneInboxGetDistinctGapFreeOffsetsOwedInOrder() throws Exception {
    Inboxes inboxes = store(limits().queueSize(TOTAL)).inboxes();

    List<Appended> appended =
        inParallel(
            () -> {
              List<Appended> mine = new ArrayList<>();
              for (int i = 0; i < PER_THREAD; i++) {
                UUID id = UUID.randomUUID();
                Position top = inboxes.append("alice", id, bytes(id.toString()), at(600), at(0));
                mine.add(new Appended(top.offset(), id, top.epoch()));
              }
              return mine;
            });

    String epoch = appended.getFirst().epoch();
    assertGapFreeAndInOrder(appended, inboxes.since("alice", 0, epoch, at(1)));
    assertThat(offsets(inboxes.owed("alice", at(1)))).containsExactlyElementsOf(range(1, TOTAL));
  }

  @Test
  void concurrentClaimsOfOneKeyLetExactlyOneCallerSend() throws Exception {
    IdempotencyKeys keys = store().idempotency();

    List<Claim> claims =
        inParallel(
            () -> {
              List<Claim> mine = new ArrayList<>();
              for (int i = 0; i < 10; i++) {
                mine.add(keys.claim("k1", "f1", at(0)));
              }
              return mine;
            });

    assertThat(claims).filteredOn(c -> c instanceof Claim.Claimed).hasSize(1);
    assertThat(claims).filteredOn(c -> c instanceof Claim.InProgress).hasSize(THREADS * 10 - 1);
  }

  @Test
  void concurrentAcksOfOneDeliveryAcknowledgeItExactlyOnce() throws Exception {
    Acks acks = store().acks();
    UUID id = UUID.randomUUID();
    acks.delivered("alice", id, at(0));

    List<Acks.Outcome> outcomes = inParallel(() -> List.of(acks.ack("alice", id, at(1))));

    assertThat(outcomes).filteredOn(o -> o == Acks.Outcome.ACKNOWLEDGED).hasSize(1);
    assertThat(outcomes)
        .filteredOn(o -> o == Acks.Outcome.ALREADY_ACKNOWLEDGED)
        .hasSize(THREADS - 1);
    assertThat(acks.stats(at(1)).acknowledged()).isEqualTo(1);
  }
}
