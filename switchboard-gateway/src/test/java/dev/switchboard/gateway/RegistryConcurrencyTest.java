package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Limits hold however many threads reserve at once, and places are neither lost nor leaked. */
class RegistryConcurrencyTest {

  private static final int THREADS = 16;
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void stopThreads() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).as("threads stopped").isTrue();
  }

  /**
   * Runs every task at once behind a start gate and returns their results; each wait is bounded.
   */
  private <T> List<T> runTogether(List<Callable<T>> tasks) throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> task : tasks) {
      futures.add(
          pool.submit(
              () -> {
                if (!gate.await(10, TimeUnit.SECONDS)) {
                  throw new IllegalStateException("start gate not opened");
                }
                return task.call();
              }));
    }
    gate.countDown();
    List<T> results = new ArrayList<>();
    for (Future<T> future : futures) {
      results.add(
          future.get(10, TimeUnit.SECONDS)); // the first failure is thrown here, with its cause
    }
    return results;
  }

  @Test
  void racingReservationsNeverPassTheUserOrServerLimit() throws Exception {
    for (int round = 0; round < 50; round++) {
      Registry registry = new Registry(new RegistryLimits(10, 4, 1));
      List<Callable<String>> tasks = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        tasks.add(() -> reserveOrNull(registry, "alice"));
        String other = "user-" + i;
        tasks.add(() -> reserveOrNull(registry, other));
      }

      List<String> granted = runTogether(tasks).stream().filter(user -> user != null).toList();

      assertThat(granted.stream().filter("alice"::equals).count())
          .as("alice's places")
          .isLessThanOrEqualTo(4);
      // Sixteen other users each ask once, so the server fills up exactly.
      assertThat(granted).as("places granted").hasSize(10);
    }
  }

  private static String reserveOrNull(Registry registry, String userId) {
    try {
      registry.reserve(userId).activate(new FakeDevice(userId + "-device", userId));
      return userId;
    } catch (LimitExceededException e) {
      return null;
    }
  }

  @Test
  void churningConnectionsOfOneUserStayWithinTheLimitAndLeakNoPlace() throws Exception {
    Registry registry = new Registry(new RegistryLimits(6, 4, 2));
    AtomicInteger connected = new AtomicInteger();
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      tasks.add(
          () -> {
            int mine = 0;
            for (int i = 0; i < 2_000; i++) {
              Registry.Reservation reservation;
              try {
                reservation = registry.reserve("alice");
              } catch (LimitExceededException e) {
                continue;
              }
              FakeDevice device = new FakeDevice("d" + thread + "-" + i, "alice");
              reservation.activate(device);
              registry.subscribe(device, List.of("news", "t" + thread));
              int now = connected.incrementAndGet();
              if (now > 4
                  || registry.devicesOf("alice").size() > 4
                  || registry.subscribers("news").size() > 4) {
                throw new AssertionError("alice has more than 4 connections: " + now);
              }
              connected.decrementAndGet();
              reservation.close();
              reservation.close();
              mine++;
            }
            return mine;
          });
    }

    List<Integer> connections = runTogether(tasks);

    assertThat(connections.stream().mapToInt(Integer::intValue).sum())
        .as("connections made")
        .isPositive();
    assertThat(registry.devices()).isEmpty();
    assertThat(registry.channels()).isEmpty();
    assertThat(registry.userCount()).isZero();
    // Every place came back: alice gets exactly her four, and the server its six.
    for (int i = 0; i < 4; i++) {
      registry.reserve("alice");
    }
    assertThat(reserveOrNull(registry, "alice")).isNull();
    registry.reserve("bob");
    registry.reserve("carol");
    assertThat(reserveOrNull(registry, "dave")).isNull();
  }
}
