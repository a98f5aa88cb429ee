package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChannelHistory} does: each channel's offsets count 1, 2, 3 within an epoch;
 * {@code since} recovers exactly what follows a position or says it cannot (another epoch, beyond
 * the top, pushed out by the history size, forgotten at the history TTL); the least recently used
 * channel is forgotten beyond the channel bound and starts a new epoch. Run by {@link
 * DeliveryStoreContract}.
 */
abstract class ChannelHistoryContract extends DeliveryStoreSection {

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
}
