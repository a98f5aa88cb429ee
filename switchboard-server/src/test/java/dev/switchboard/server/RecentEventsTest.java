package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RecentEventsTest {

  private final Instant at = Instant.parse("2026-12-08T09:14:03Z");
  private final RecentEvents events = new RecentEvents(Clock.fixed(at, ZoneOffset.UTC));

  @Test
  void keepsTheLastHundredNewestFirst() {
    IntStream.rangeClosed(1, 150)
        .forEach(i -> events.add(RecentEvents.Kind.ERROR, "ws c" + i, "closing with 1002"));

    assertThat(events.newestFirst()).hasSize(RecentEvents.CAPACITY);
    assertThat(events.newestFirst().getFirst().subject()).isEqualTo("ws c150");
    assertThat(events.newestFirst().getLast().subject()).isEqualTo("ws c51");
    assertThat(events.newestFirst().getFirst().at()).isEqualTo(at);
  }

  @Test
  void startsEmpty() {
    assertThat(events.newestFirst()).isEmpty();
  }
}
