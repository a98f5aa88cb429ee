package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gateway.Position;
import dev.switchboard.gateway.StreamId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How an SSE stream's event id follows what was written and what a join reported. */
class SseCursorTest {

  private static final StreamId INBOX = new StreamId.Inbox("alice");
  private static final StreamId ORDERS = new StreamId.Channel("orders");

  private static Position at(StreamId stream, long offset, String epoch) {
    return new Position(stream, offset, epoch);
  }

  @Test
  void aFreshStreamHasNoIdUntilAStreamHasAPosition() {
    SseCursor cursor = new SseCursor(List.of());

    assertThat(cursor.id()).isEmpty();
    cursor.wrote(at(ORDERS, 3, "e1"));
    assertThat(cursor.id()).hasValue("orders:3:e1");
  }

  @Test
  void theIdStartsFromTheClientsLastEventIdAndMovesWithEachNotificationWritten() {
    SseCursor cursor = new SseCursor(List.of(at(INBOX, 2, "i1"), at(ORDERS, 7, "e1")));

    assertThat(cursor.id()).hasValue("~:2:i1,orders:7:e1");
    cursor.wrote(at(ORDERS, 8, "e1"));
    assertThat(cursor.id()).hasValue("~:2:i1,orders:8:e1");
  }

  @Test
  void aJoinsPositionReplacesTheClientsWhateverItsEpoch() {
    SseCursor cursor = new SseCursor(List.of(at(ORDERS, 7, "old")));

    cursor.catchUp(List.of(at(INBOX, 0, "i1"), at(ORDERS, 2, "new")));

    assertThat(cursor.id()).hasValue("orders:2:new,~:0:i1");
  }

  @Test
  void aPositionWrittenHereIsKeptWhenTheJoinsIsOlderAndTakenOverWhenItIsFurtherOn() {
    SseCursor cursor = new SseCursor(List.of());
    cursor.wrote(at(INBOX, 5, "i1"));

    cursor.catchUp(List.of(at(INBOX, 4, "i1")));
    assertThat(cursor.id()).as("the join read before the live one was written").hasValue("~:5:i1");

    cursor.catchUp(List.of(at(INBOX, 9, "i1")));
    assertThat(cursor.id())
        .as("what the user's other devices took meanwhile: nothing of it is owed here")
        .hasValue("~:9:i1");
  }
}
