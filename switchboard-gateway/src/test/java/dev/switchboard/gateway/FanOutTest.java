package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A fan-out runs one pass per event loop, on that loop, for all of the loop's devices. */
class FanOutTest {

  private static final Outgoing MESSAGE =
      Outgoing.notification("{}".getBytes(StandardCharsets.UTF_8), Priority.NORMAL);

  private final Loop first = new Loop("loop-1");
  private final Loop second = new Loop("loop-2");

  @AfterEach
  void stop() throws InterruptedException {
    first.close();
    second.close();
  }

  @Test
  void aLargeFanOutRunsOneTaskPerLoopAndEachDeviceOnItsOwnLoop() throws Exception {
    List<Device> devices = devices(100, i -> i % 2 == 0 ? first : second, i -> true);

    boolean[] taken = onVirtualThread(() -> FanOut.deliver(devices, MESSAGE));

    assertThat(taken).containsOnly(true).hasSize(100);
    assertThat(first.tasks.get()).isEqualTo(1);
    assertThat(second.tasks.get()).isEqualTo(1);
    for (Device device : devices) {
      LoopDevice d = (LoopDevice) device;
      assertThat(d.deliveredOn.get()).isEqualTo(d.loop.name);
    }
  }

  @Test
  void aDeviceThatRefusesIsReportedAtItsOwnPlace() throws Exception {
    List<Device> devices = devices(40, i -> i < 20 ? first : second, i -> i != 7 && i != 33);

    boolean[] taken = onVirtualThread(() -> FanOut.deliver(devices, MESSAGE));

    for (int i = 0; i < taken.length; i++) {
      assertThat(taken[i]).as("device %d", i).isEqualTo(i != 7 && i != 33);
    }
  }

  @Test
  void aSmallFanOutIsDeliveredByTheCallerWithoutATask() throws Exception {
    List<Device> devices =
        devices(FanOut.PER_LOOP_MIN - 1, i -> i % 2 == 0 ? first : second, i -> true);

    boolean[] taken = onVirtualThread(() -> FanOut.deliver(devices, MESSAGE));

    assertThat(taken).containsOnly(true);
    assertThat(first.tasks.get() + second.tasks.get()).isZero();
  }

  @Test
  void aPlatformThreadNeverWaitsForTheLoopsItMightBeOneOf() {
    List<Device> devices = devices(50, i -> first, i -> true);

    boolean[] taken = FanOut.deliver(devices, MESSAGE);

    assertThat(taken).containsOnly(true);
    assertThat(first.tasks.get()).isZero();
  }

  @Test
  void aLoopThatRefusesTasksLeavesItsDevicesToTheCaller() throws Exception {
    first.close();
    List<Device> devices = devices(30, i -> first, i -> true);

    boolean[] taken = onVirtualThread(() -> FanOut.deliver(devices, MESSAGE));

    assertThat(taken).containsOnly(true);
  }

  private static List<Device> devices(
      int count,
      java.util.function.IntFunction<Loop> loopOf,
      java.util.function.IntPredicate accepts) {
    List<Device> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new LoopDevice("d" + i, loopOf.apply(i), accepts.test(i)));
    }
    return out;
  }

  private static <T> T onVirtualThread(java.util.concurrent.Callable<T> work) throws Exception {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    Thread thread =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    result.set(work.call());
                  } catch (Exception e) {
                    failure.set(e);
                  }
                });
    assertThat(thread.join(java.time.Duration.ofSeconds(5))).as("fan-out finished").isTrue();
    if (failure.get() != null) {
      throw failure.get();
    }
    return result.get();
  }

  /** A single-threaded executor standing in for an event loop; counts the tasks it was given. */
  private static final class Loop implements java.util.concurrent.Executor {
    final String name;
    final AtomicInteger tasks = new AtomicInteger();
    private final ExecutorService thread;

    Loop(String name) {
      this.name = name;
      this.thread = Executors.newSingleThreadExecutor(r -> new Thread(r, name));
    }

    @Override
    public void execute(Runnable task) {
      thread.execute(task); // throws RejectedExecutionException once closed
      tasks.incrementAndGet();
    }

    void close() throws InterruptedException {
      thread.shutdown();
      assertThat(thread.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static final class LoopDevice implements Device {
    final String id;
    final Loop loop;
    final boolean accepts;
    final AtomicReference<String> deliveredOn = new AtomicReference<>();

    LoopDevice(String id, Loop loop, boolean accepts) {
      this.id = id;
      this.loop = loop;
      this.accepts = accepts;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public String userId() {
      return "u";
    }

    @Override
    public boolean deliver(Outgoing message) {
      deliveredOn.set(Thread.currentThread().getName());
      return accepts;
    }

    @Override
    public java.util.concurrent.Executor executor() {
      return loop;
    }
  }
}
