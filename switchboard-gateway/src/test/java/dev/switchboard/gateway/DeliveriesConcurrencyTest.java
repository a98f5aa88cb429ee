package dev.switchboard.gateway;

import static dev.switchboard.gateway.SampleNotifications.notification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Devices catching up while sends arrive: a subscriber recovering a channel, a device connecting to
 * its inbox. Whatever the interleaving, each gets every offset of the stream once, in offset order,
 * with no gap between what it read from the store and what arrived live. Every wait is bounded; the
 * first failure on another thread is kept and rethrown by {@link Future#get}.
 */
class DeliveriesConcurrencyTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final long WAIT_SECONDS = 30;
  private static final int PUBLISHERS = 4;
  private static final int PER_PUBLISHER = 300;
  private static final int TOTAL = PUBLISHERS * PER_PUBLISHER;
  private static final StreamId.Channel NEWS = new StreamId.Channel("news");

  private final PausingStore store =
      new PausingStore(
          DeliveryStore.inMemory(
              new DeliveryLimits(
                  TOTAL,
                  Duration.ofHours(1),
                  10,
                  TOTAL,
                  Duration.ofHours(1),
                  1_000,
                  Duration.ofSeconds(30),
                  1_000_000,
                  Duration.ofMinutes(5),
                  100)));
  private final Registry registry = new Registry(new RegistryLimits(10_000, 10, 10));
  private final Deliveries deliveries =
      new Deliveries(
          new Dispatcher(registry), store, java.time.Clock.fixed(START, java.time.ZoneOffset.UTC));

  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).as("threads stopped").isTrue();
  }

  /** The offsets in {@code stream} of what {@code device} received, in order. */
  private static List<Long> offsetsReceivedBy(FakeDevice device, StreamId stream) {
    return device.received().stream()
        .map(Outgoing::position)
        .flatMap(Optional::stream)
        .filter(p -> p.stream().equals(stream))
        .map(Position::offset)
        .toList();
  }

  private static List<Long> oneTo(long n) {
    return LongStream.rangeClosed(1, n).boxed().toList();
  }

  /**
   * Starts PUBLISHERS threads that each run {@code send} PER_PUBLISHER times once {@code go} opens,
   * counting each send in {@code sent}.
   */
  private List<Future<?>> publishers(CountDownLatch go, AtomicInteger sent, Runnable send) {
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < PUBLISHERS; t++) {
      futures.add(
          threads.submit(
              () -> {
                awaitOpen(go);
                for (int i = 0; i < PER_PUBLISHER; i++) {
                  send.run();
                  sent.incrementAndGet();
                }
                return null;
              }));
    }
    return futures;
  }

  private static void awaitOpen(CountDownLatch go) throws InterruptedException {
    if (!go.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException("start gate not opened");
    }
  }

  /** Spins until {@code count} reaches {@code target}, for at most WAIT_SECONDS. */
  private static void awaitCount(AtomicInteger count, int target) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (count.get() < target) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("count stayed at " + count.get() + ", short of " + target);
      }
      Thread.onSpinWait();
    }
  }

  private static <T> T done(Future<T> future) throws Exception {
    return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  // ---- many sends racing devices that catch up ----

  @Test
  void everySubscriberRecoveringFromTheStartWhileSendsArriveGetsEachOffsetOnceInOrder()
      throws Exception {
    int subscribers = 100;
    Position start = new Position(NEWS, 0, store.channels().position("news", START).epoch());
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger sent = new AtomicInteger();
    List<Future<?>> publishing =
        publishers(go, sent, () -> deliveries.publish(new Target.Channel("news"), notification()));
    Future<List<FakeDevice>> subscribing =
        threads.submit(
            () -> {
              awaitOpen(go);
              List<FakeDevice> devices = new ArrayList<>();
              for (int i = 0; i < subscribers; i++) {
                // Spread the subscriptions over the sends, the last ones near the end.
                awaitCount(sent, i * TOTAL / subscribers);
                FakeDevice device = new FakeDevice("device-" + i, "user-" + i);
                registry.reserve(device.userId()).activate(device);
                Deliveries.Subscribed subscribed =
                    deliveries.subscribe(device, List.of("news"), Map.of("news", start));
                assertThat(subscribed.recovered()).containsEntry("news", true);
                devices.add(device);
              }
              return devices;
            });

    go.countDown();
    for (Future<?> publisher : publishing) {
      done(publisher);
    }
    List<FakeDevice> devices = done(subscribing);

    assertThat(devices).hasSize(subscribers);
    for (FakeDevice device : devices) {
      assertThat(offsetsReceivedBy(device, NEWS))
          .as("news offsets received by %s", device)
          .doesNotHaveDuplicates()
          .isSorted()
          .isEqualTo(oneTo(TOTAL));
    }
  }

  @Test
  void everyDeviceConnectingWhileSendsToItsUserArriveGetsEachOnceInOrder() throws Exception {
    int users = 40;
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger sent = new AtomicInteger();
    List<Future<?>> publishing =
        publishers(
            go,
            sent,
            () -> {
              for (int u = 0; u < users; u++) {
                deliveries.publish(new Target.User("user-" + u), notification());
              }
            });
    Future<List<FakeDevice>> connecting =
        threads.submit(
            () -> {
              awaitOpen(go);
              List<FakeDevice> devices = new ArrayList<>();
              for (int u = 0; u < users; u++) {
                // user-0 connects first; the later users with more and more queued.
                awaitCount(sent, u * TOTAL / users);
                FakeDevice device = new FakeDevice("device-" + u, "user-" + u);
                device.hold(new StreamId.Inbox(device.userId()));
                registry.reserve(device.userId()).activate(device);
                deliveries.connect(device, Optional.empty());
                devices.add(device);
              }
              return devices;
            });

    go.countDown();
    for (Future<?> publisher : publishing) {
      done(publisher);
    }
    List<FakeDevice> devices = done(connecting);

    assertThat(devices).hasSize(users);
    for (FakeDevice device : devices) {
      StreamId inbox = new StreamId.Inbox(device.userId());
      assertThat(offsetsReceivedBy(device, inbox))
          .as("inbox offsets received by %s", device)
          .doesNotHaveDuplicates()
          .isSorted()
          .isEqualTo(oneTo(TOTAL));
      assertThat(device.received())
          .extracting(m -> new String(m.bytes(), java.nio.charset.StandardCharsets.UTF_8))
          .as("each notification once")
          .doesNotHaveDuplicates();
    }
  }

  // ---- the window between a send's append and its delivery, opened on purpose ----

  /**
   * Runs {@code catchUp} on its own thread while a send is stopped after its append (its offset
   * taken, its delivery not begun), then lets the send go on once {@code catchUp} has finished or
   * is waiting for the send (as it would, were catching up ordered with sends).
   */
  private void catchUpWhileASendIsBetweenAppendAndDelivery(Runnable send, Runnable catchUp)
      throws Exception {
    store.pauseNextAppend();
    Future<?> sending = threads.submit(send);
    assertThat(store.appended.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("send appended").isTrue();
    AtomicReference<Thread> catcher = new AtomicReference<>();
    Future<?> catching =
        threads.submit(
            (Callable<Void>)
                () -> {
                  catcher.set(Thread.currentThread());
                  catchUp.run();
                  return null;
                });

    await()
        .atMost(Duration.ofSeconds(WAIT_SECONDS))
        .until(() -> catching.isDone() || waiting(catcher.get()));
    store.resume.countDown();
    done(sending);
    done(catching);
  }

  private static boolean waiting(Thread thread) {
    if (thread == null) {
      return false;
    }
    Thread.State state = thread.getState();
    return state == Thread.State.BLOCKED
        || state == Thread.State.WAITING
        || state == Thread.State.TIMED_WAITING;
  }

  @Test
  void aSubscriberRecoveringWhileASendIsBetweenAppendAndDeliveryGetsItOnce() throws Exception {
    Position start = new Position(NEWS, 0, store.channels().position("news", START).epoch());
    FakeDevice device = new FakeDevice("phone", "alice");
    registry.reserve("alice").activate(device);

    catchUpWhileASendIsBetweenAppendAndDelivery(
        () -> deliveries.publish(new Target.Channel("news"), notification()),
        () -> deliveries.subscribe(device, List.of("news"), Map.of("news", start)));

    assertThat(offsetsReceivedBy(device, NEWS)).containsExactly(1L);
  }

  @Test
  void aDeviceConnectingWhileASendIsBetweenAppendAndDeliveryGetsItOnce() throws Exception {
    FakeDevice device = new FakeDevice("phone", "alice");
    StreamId inbox = new StreamId.Inbox("alice");

    catchUpWhileASendIsBetweenAppendAndDelivery(
        () -> deliveries.publish(new Target.User("alice"), notification()),
        () -> {
          device.hold(inbox);
          registry.reserve("alice").activate(device);
          deliveries.connect(device, Optional.empty());
        });

    assertThat(offsetsReceivedBy(device, inbox)).containsExactly(1L);
  }

  // ---- a store that can stop a send right after its append ----

  /** The in-memory store; the append after {@link #pauseNextAppend} waits for {@link #resume}. */
  private static final class PausingStore extends ForwardingDeliveryStore {
    private volatile boolean pauseNext;
    final CountDownLatch appended = new CountDownLatch(1);
    final CountDownLatch resume = new CountDownLatch(1);

    PausingStore(DeliveryStore delegate) {
      super(delegate);
    }

    void pauseNextAppend() {
      pauseNext = true;
    }

    private Position paused(Position appendedAt) {
      if (pauseNext) {
        pauseNext = false;
        appended.countDown();
        try {
          if (!resume.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("paused append never resumed");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      return appendedAt;
    }

    private final ChannelHistory channels =
        new Channels() {
          @Override
          public Position append(String channel, UUID notificationId, byte[] message, Instant now) {
            return paused(super.append(channel, notificationId, message, now));
          }
        };

    private final Inboxes inboxes =
        new InboxesOf() {
          @Override
          public Position append(
              String userId, UUID notificationId, byte[] message, Instant expiresAt, Instant now) {
            return paused(super.append(userId, notificationId, message, expiresAt, now));
          }
        };

    @Override
    public ChannelHistory channels() {
      return channels;
    }

    @Override
    public Inboxes inboxes() {
      return inboxes;
    }
  }
}
