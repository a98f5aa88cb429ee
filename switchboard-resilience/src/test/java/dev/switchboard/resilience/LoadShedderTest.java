package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LoadShedderTest {

  private final EventBus bus = new EventBus();

  private LoadShedder shedder(int max) {
    return LoadShedder.of(
        "api", LoadShedderConfig.builder().maxInFlight(max).eventBus(bus).build());
  }

  private static void fill(LoadShedder shedder, int n) {
    for (int i = 0; i < n; i++) {
      assertThat(shedder.tryAcquire(CallPriority.CRITICAL)).isTrue();
    }
  }

  @Test
  void higherPrioritiesKeepHeadroomThatLowerOnesCannotUse() {
    LoadShedder shedder = shedder(100);
    fill(shedder, 49);
    assertThat(shedder.tryAcquire(CallPriority.LOW)).isTrue(); // 49 in flight: NORMAL
    assertThat(shedder.tryAcquire(CallPriority.LOW)).isFalse(); // 50: ELEVATED
    fill(shedder, 25);
    assertThat(shedder.tryAcquire(CallPriority.NORMAL)).isFalse(); // 75: HIGH
    assertThat(shedder.tryAcquire(CallPriority.HIGH)).isTrue();
    fill(shedder, 14);
    assertThat(shedder.tryAcquire(CallPriority.HIGH)).isFalse(); // 90: CRITICAL
    fill(shedder, 10);
    assertThat(shedder.inFlight()).isEqualTo(100);
    assertThat(shedder.tryAcquire(CallPriority.CRITICAL)).isFalse(); // full
    assertThat(shedder.shedCount()).isEqualTo(4);
  }

  @Test
  void theLevelFollowsTheCallsInFlightBothWays() {
    LoadShedder shedder = shedder(10);
    assertThat(shedder.level()).isEqualTo(LoadLevel.NORMAL);
    fill(shedder, 9);
    assertThat(shedder.level()).isEqualTo(LoadLevel.CRITICAL);
    for (int i = 0; i < 9; i++) {
      shedder.release();
    }
    assertThat(shedder.level()).isEqualTo(LoadLevel.NORMAL);
  }

  @Test
  void aSystemLoadSampleRaisesTheLevelButNeverLowersIt() {
    AtomicReference<Double> cpu = new AtomicReference<>(0.1);
    SystemLoad system = SystemLoad.of(cpu::get, () -> 0.2);
    LoadShedder shedder =
        LoadShedder.of(
            "api",
            LoadShedderConfig.builder().maxInFlight(10).systemLoad(system).eventBus(bus).build());
    assertThat(shedder.tryAcquire(CallPriority.LOW)).isTrue();

    cpu.set(0.9);
    assertThat(shedder.tryAcquire(CallPriority.LOW)).as("not sampled yet").isTrue();
    system.sample();
    assertThat(shedder.level()).isEqualTo(LoadLevel.HIGH);
    assertThat(shedder.tryAcquire(CallPriority.NORMAL)).isFalse();
    assertThat(shedder.tryAcquire(CallPriority.HIGH)).isTrue();
  }

  @Test
  void aShedCallThrowsNamingPriorityLevelAndLoad() {
    LoadShedder shedder = shedder(2);
    fill(shedder, 1);
    assertThatThrownBy(() -> shedder.call(CallPriority.LOW, () -> "x"))
        .isInstanceOf(ShedException.class)
        .hasMessageContaining("api")
        .hasMessageContaining("LOW")
        .hasMessageContaining("1 of 2 in flight");
  }

  @Test
  void callsAndAsyncCallsCountWhileTheyRun() throws Exception {
    LoadShedder shedder = shedder(10);
    assertThat(shedder.call(CallPriority.NORMAL, shedder::inFlight)).isEqualTo(1);
    CompletableFuture<String> running = new CompletableFuture<>();
    shedder.callAsync(CallPriority.NORMAL, () -> running);
    assertThat(shedder.inFlight()).isEqualTo(1);
    running.complete("done");
    assertThat(shedder.inFlight()).isZero();
  }

  @Test
  void levelChangesAndShedCallsArePublished() {
    LoadShedder shedder = shedder(4);
    List<LoadShedderEvent> events = new ArrayList<>();
    shedder.events().onEvent(events::add);
    fill(shedder, 2); // 2 of 4: ELEVATED
    shedder.tryAcquire(CallPriority.LOW);

    assertThat(events)
        .extracting(e -> e.getClass().getSimpleName())
        .containsExactly("LevelChanged", "Shed");
    assertThat(((LoadShedderEvent.LevelChanged) events.getFirst()).to())
        .isEqualTo(LoadLevel.ELEVATED);
  }

  @Test
  void racingCallersNeverPassMaxInFlight() throws Exception {
    LoadShedder shedder = shedder(5);
    AtomicInteger now = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 32; t++) {
        threads.execute(
            () -> {
              try {
                start.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                return;
              }
              for (int i = 0; i < 500; i++) {
                if (shedder.tryAcquire(CallPriority.CRITICAL)) {
                  most.accumulateAndGet(now.incrementAndGet(), Math::max);
                  Thread.yield();
                  now.decrementAndGet();
                  shedder.release();
                }
              }
            });
      }
      start.countDown();
    }
    assertThat(most.get()).isBetween(1, 5);
    assertThat(shedder.inFlight()).isZero();
  }

  @Test
  void thresholdsOutOfOrderAreRefused() {
    assertThatThrownBy(() -> LoadShedderConfig.builder().thresholds(0.8, 0.5, 0.9).build())
        .hasMessageContaining("elevatedAt <= highAt <= criticalAt")
        .hasMessageContaining("0.8, 0.5, 0.9");
    assertThatThrownBy(() -> LoadShedderConfig.builder().thresholds(0.5, 0.7, 1.5))
        .hasMessage("criticalAt must be between 4.9E-324 and 1.0, got 1.5");
  }

  @Test
  void systemLoadTakesTheWorseOfCpuAndHeap() {
    SystemLoad load = SystemLoad.of(() -> 0.2, () -> 0.96);
    load.sample();
    assertThat(load.get()).isEqualTo(LoadLevel.CRITICAL);
    try (SystemLoad live = SystemLoad.start(java.time.Duration.ofMillis(10))) {
      assertThat(live.get()).isNotNull();
    }
  }
}
