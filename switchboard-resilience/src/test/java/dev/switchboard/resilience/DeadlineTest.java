package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlineTest {

  private final ManualTicker ticker = new ManualTicker();

  @Test
  void remainingTimeShrinksWithTheTickerAndNeverGoesNegative() {
    Deadline deadline = Deadline.after(Duration.ofSeconds(2), ticker);
    assertThat(deadline.remaining()).isEqualTo(Duration.ofSeconds(2));
    ticker.advance(Duration.ofMillis(1500));
    assertThat(deadline.remaining()).isEqualTo(Duration.ofMillis(500));
    assertThat(deadline.isExpired()).isFalse();
    ticker.advance(Duration.ofSeconds(5));
    assertThat(deadline.remaining()).isEqualTo(Duration.ZERO);
    assertThat(deadline.isExpired()).isTrue();
  }

  @Test
  void aZeroDeadlineIsExpiredAtOnce() {
    assertThat(Deadline.after(Duration.ZERO, ticker).isExpired()).isTrue();
  }

  @Test
  void noneNeverExpires() {
    assertThat(Deadline.none().isExpired()).isFalse();
    assertThat(Deadline.none().isBounded()).isFalse();
    assertThat(Deadline.none().remaining()).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
  }

  @Test
  void minKeepsTheDeadlineLeavingLessTime() {
    Deadline soon = Deadline.after(Duration.ofSeconds(1), ticker);
    Deadline later = Deadline.after(Duration.ofSeconds(3), ticker);
    assertThat(later.min(soon)).isSameAs(soon);
    assertThat(soon.min(later)).isSameAs(soon);
    assertThat(Deadline.none().min(later)).isSameAs(later);
    assertThat(later.min(Deadline.none())).isSameAs(later);
  }

  @Test
  void aHugeTimeoutSaturatesInsteadOfOverflowing() {
    Deadline deadline = Deadline.after(Duration.ofSeconds(Long.MAX_VALUE), ticker);
    ticker.advance(Duration.ofDays(365));
    assertThat(deadline.isExpired()).isFalse();
  }

  @Test
  void aNegativeTimeoutIsRejected() {
    assertThatThrownBy(() -> Deadline.after(Duration.ofMillis(-1), ticker))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must not be negative, got PT-0.001S");
  }
}
