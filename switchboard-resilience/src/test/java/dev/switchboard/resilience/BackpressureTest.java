package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BackpressureTest {

  private final EventBus bus = new EventBus();

  private Backpressure backpressure(int high, int low) {
    return Backpressure.of(
        "ingest",
        BackpressureConfig.builder().highWaterMark(high).lowWaterMark(low).eventBus(bus).build());
  }

  private static void fill(Backpressure b, int n) {
    for (int i = 0; i < n; i++) {
      assertThat(b.tryAcquire()).isTrue();
    }
  }

  @Test
  void pressureTurnsOnAtTheHighMarkAndOffOnlyAtTheLowMark() {
    Backpressure b = backpressure(4, 2);
    fill(b, 4);
    assertThat(b.isPressured()).isTrue();
    assertThat(b.tryAcquire()).isFalse();

    b.release(); // 3: above the low mark, still on
    assertThat(b.isPressured()).isTrue();
    assertThat(b.tryAcquire()).isFalse();

    b.release(); // 2: off
    assertThat(b.isPressured()).isFalse();
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.level()).isEqualTo(3);
  }

  @Test
  void aWaitingCallerGetsInOncePressureEases() throws Exception {
    Backpressure b = backpressure(2, 0);
    fill(b, 2);
    CompletableFuture<Boolean> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return b.acquire(Duration.ofSeconds(10));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            },
            runnable -> Thread.ofVirtual().start(runnable));

    b.release();
    assertThat(waiting).isNotDone();
    b.release();
    assertThat(waiting).succeedsWithin(5, TimeUnit.SECONDS).isEqualTo(true);
    assertThat(b.level()).isEqualTo(1);
  }

  @Test
  void aWaitThatEndsUnderPressureIsRefused() throws Exception {
    Backpressure b = backpressure(1, 0);
    fill(b, 1);
    assertThat(b.acquire(Duration.ofMillis(20))).isFalse();
    assertThat(b.level()).isEqualTo(1);
  }

  @Test
  void aRefusedCallThrowsNamingTheLevelAndTheMark() {
    Backpressure b = backpressure(1, 0);
    fill(b, 1);
    assertThatThrownBy(() -> b.call(() -> "x"))
        .isInstanceOf(BackpressureException.class)
        .hasMessageContaining("ingest")
        .hasMessageContaining("1 in flight")
        .hasMessageContaining("high water mark 1");
  }

  @Test
  void aCallHoldsItsPlaceOnlyWhileItRuns() throws Exception {
    Backpressure b = backpressure(3, 1);
    assertThat(b.call(() -> b.level())).isEqualTo(1);
    assertThat(b.level()).isZero();
  }

  @Test
  void anAsyncCallHoldsItsPlaceUntilItsStageCompletesAndIsRefusedAtOnceUnderPressure() {
    Backpressure b = backpressure(1, 0);
    CompletableFuture<String> running = new CompletableFuture<>();
    b.callAsync(() -> running);
    assertThat(b.callAsync(() -> CompletableFuture.completedFuture("x")))
        .failsWithin(1, TimeUnit.SECONDS)
        .withThrowableThat()
        .withCauseInstanceOf(BackpressureException.class);
    running.complete("done");
    assertThat(b.level()).isZero();
    assertThat(b.isPressured()).isFalse();
  }

  @Test
  void stateChangesAndRefusalsArePublished() {
    Backpressure b = backpressure(2, 0);
    List<BackpressureEvent> events = new ArrayList<>();
    b.events().onEvent(events::add);
    fill(b, 2);
    b.callAsync(() -> CompletableFuture.completedFuture("refused"));
    b.release();
    b.release();

    assertThat(events)
        .extracting(e -> e.getClass().getSimpleName())
        .containsExactly("StateChanged", "Rejected", "StateChanged");
    assertThat(((BackpressureEvent.StateChanged) events.get(0)).pressured()).isTrue();
    assertThat(((BackpressureEvent.StateChanged) events.get(2)).pressured()).isFalse();
  }

  @Test
  void releasingMoreThanWasAcquiredIsABug() {
    Backpressure b = backpressure(2, 0);
    assertThatThrownBy(b::release)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ingest");
  }

  @Property
  void theLowMarkMustBeBelowTheHighMark(
      @ForAll @IntRange(min = -2, max = 20) int high,
      @ForAll @IntRange(min = -2, max = 20) int low) {
    if (high >= 1 && low >= 0 && low < high) {
      assertThat(
              BackpressureConfig.builder()
                  .highWaterMark(high)
                  .lowWaterMark(low)
                  .build()
                  .lowWaterMark())
          .isEqualTo(low);
    } else {
      assertThatThrownBy(
              () -> BackpressureConfig.builder().highWaterMark(high).lowWaterMark(low).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageMatching("(highWaterMark|lowWaterMark) must be .*, got -?\\d+");
    }
  }
}
