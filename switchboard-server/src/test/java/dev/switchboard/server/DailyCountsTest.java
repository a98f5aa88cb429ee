package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Today's counts are the totals less those at the start of the day (UTC). */
class DailyCountsTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T23:58:00Z"));
  private final DailyCounts daily = new DailyCounts(clock);

  @Test
  void theFirstDayCountsFromStartUp() {
    assertThat(daily.today(new DailyCounts.Counts(5, 4, 1)))
        .isEqualTo(new DailyCounts.Counts(5, 4, 1));
  }

  @Test
  void aNewDayStartsFromTheTotalsWhenItIsRolled() {
    daily.today(new DailyCounts.Counts(5, 4, 1));
    clock.advance(Duration.ofMinutes(3));
    daily.roll(new DailyCounts.Counts(7, 6, 1));

    assertThat(daily.today(new DailyCounts.Counts(10, 8, 2)))
        .isEqualTo(new DailyCounts.Counts(3, 2, 1));
  }

  @Test
  void rollingTheSameDayChangesNothing() {
    daily.roll(new DailyCounts.Counts(7, 6, 1));

    assertThat(daily.today(new DailyCounts.Counts(10, 8, 2)))
        .isEqualTo(new DailyCounts.Counts(10, 8, 2));
  }
}
