package dev.switchboard.bench.load;

import dev.switchboard.bench.DeviceTokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The devices of a run: {@link #adjust(int)} opens or closes devices until the number asked for are
 * connected, spreading them over the transports by weight (60 WebSocket : 20 SSE : 20 WebTransport
 * by default), each its own user; WebSocket and WebTransport devices also follow one of a few
 * shared channels (an SSE stream follows its channels until it ends, so SSE devices follow only
 * their user). Connects go out at most {@code maxPendingConnects} at a time. A device that leaves
 * is first taken out of the users that sends pick and unsubscribed from its channel, then closed a
 * moment after the server answered, so that what was sent to it still arrives and the count of what
 * should have arrived stays exact.
 */
final class DeviceCrowd {

  /** How long a leaving device stays open after it left its channel. */
  static final long LEAVE_GRACE_MILLIS = 250;

  /** How long a leaving device waits for its {@code unsubscribe} to be answered. */
  static final long LEAVE_TIMEOUT_SECONDS = 5;

  private final Map<String, DeviceTransport> transports;
  private final Map<String, Integer> weights;
  private final Map<String, Integer> opened = new LinkedHashMap<>();
  private final String userPrefix;
  private final int channels;
  private final Optional<DeviceTokens> tokens;
  private final DeviceListener deliveries;
  private final ScheduledExecutorService scheduler;
  private final int maxPendingConnects;

  private final List<Member> connected = new ArrayList<>();
  private final Map<Integer, Member> byIndex = new ConcurrentHashMap<>();
  private final AtomicLong attempts = new AtomicLong();
  private final AtomicLong succeeded = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Problems connectProblems = new Problems();
  private final Problems dropProblems = new Problems();
  private int pending;
  private int nextIndex;

  /** One connected device, its user and its channel. */
  private record Member(int index, String userId, String transport, LoadDevice device) {}

  DeviceCrowd(
      Map<String, DeviceTransport> transports,
      Map<String, Integer> weights,
      String userPrefix,
      int channels,
      Optional<DeviceTokens> tokens,
      DeviceListener deliveries,
      ScheduledExecutorService scheduler,
      int maxPendingConnects) {
    this.transports = Map.copyOf(transports);
    this.weights = new LinkedHashMap<>(weights);
    this.weights.keySet().forEach(t -> opened.put(t, 0));
    this.userPrefix = userPrefix;
    this.channels = Math.max(1, channels);
    this.tokens = tokens;
    this.deliveries = deliveries;
    this.scheduler = scheduler;
    this.maxPendingConnects = maxPendingConnects;
  }

  /** The channel device {@code index} follows. */
  String channelOf(int index) {
    return userPrefix + "ch-" + (index % channels);
  }

  /** A channel some device follows, at random. */
  String randomChannel() {
    return userPrefix + "ch-" + ThreadLocalRandom.current().nextInt(channels);
  }

  /** The user of a connected device that is not leaving, at random; empty when there is none. */
  synchronized Optional<String> randomUser() {
    if (connected.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(connected.get(ThreadLocalRandom.current().nextInt(connected.size())).userId);
  }

  /** Opens or closes devices toward {@code target} connected ones; returns at once. */
  synchronized void adjust(int target) {
    int missing = target - connected.size() - pending;
    for (int i = 0; i < missing && pending < maxPendingConnects; i++) {
      open();
    }
    int extra = connected.size() - target;
    for (int i = 0; i < extra; i++) {
      // The newest leave first; swap-remove keeps picking a random user O(1).
      Member m = connected.remove(connected.size() - 1);
      byIndex.remove(m.index);
      m.device
          .leaveChannels()
          .orTimeout(LEAVE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .whenComplete(
              (v, e) ->
                  scheduler.schedule(m.device::close, LEAVE_GRACE_MILLIS, TimeUnit.MILLISECONDS));
    }
  }

  /** Devices connected now (leaving ones not counted). */
  synchronized int size() {
    return connected.size();
  }

  /** Closes every device. */
  synchronized void closeAll() {
    for (Member m : connected) {
      m.device.close();
    }
    connected.clear();
    byIndex.clear();
  }

  long attempts() {
    return attempts.get();
  }

  long succeeded() {
    return succeeded.get();
  }

  long dropped() {
    return dropped.get();
  }

  /** How many devices of each transport were opened. */
  synchronized Map<String, Integer> opened() {
    return new LinkedHashMap<>(opened);
  }

  /** The first distinct reasons connects failed, with counts. */
  List<String> connectProblems() {
    return connectProblems.summary();
  }

  /** The first distinct reasons the server closed devices, with counts. */
  List<String> dropProblems() {
    return dropProblems.summary();
  }

  private void open() {
    int index = nextIndex++;
    String transport = nextTransport();
    String user = userPrefix + index;
    // An SSE stream cannot leave a channel without ending: it follows only its user's inbox.
    List<String> channels = transport.equals("sse") ? List.of() : List.of(channelOf(index));
    DeviceSpec spec = new DeviceSpec(user, channels, tokens.map(t -> t.token(user)));
    pending++;
    attempts.incrementAndGet();
    DeviceListener listener =
        new DeviceListener() {
          @Override
          public void delivered(String id, long sentNanos, long receivedNanos) {
            deliveries.delivered(id, sentNanos, receivedNanos);
          }

          @Override
          public void dropped(String transport, String reason) {
            left(index, transport, reason);
          }
        };
    transports
        .get(transport)
        .connect(spec, listener)
        .whenComplete(
            (device, e) -> {
              synchronized (this) {
                pending--;
                if (e != null) {
                  connectProblems.add(transport + ": " + rootMessage(e));
                  return;
                }
                succeeded.incrementAndGet();
                Member m = new Member(index, user, transport, device);
                connected.add(m);
                byIndex.put(index, m);
              }
            });
  }

  private void left(int index, String transport, String reason) {
    synchronized (this) {
      Member m = byIndex.remove(index);
      if (m == null) {
        return; // leaving already: closed by us
      }
      connected.remove(m);
    }
    dropped.incrementAndGet();
    dropProblems.add(transport + ": " + reason);
    deliveries.dropped(transport, reason);
  }

  /** Smooth weighted round robin: the transport furthest behind its share goes next. */
  private String nextTransport() {
    String best = null;
    double bestShare = Double.MAX_VALUE;
    for (Map.Entry<String, Integer> w : weights.entrySet()) {
      double share = (opened.get(w.getKey()) + 1.0) / w.getValue();
      if (share < bestShare) {
        best = w.getKey();
        bestShare = share;
      }
    }
    opened.merge(best, 1, Integer::sum);
    return best;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** Distinct reasons with counts, at most a few kept. */
  static final class Problems {
    private static final int KEPT = 5;
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private long others;

    synchronized void add(String reason) {
      if (counts.containsKey(reason) || counts.size() < KEPT) {
        counts.merge(reason, 1L, Long::sum);
      } else {
        others++;
      }
    }

    synchronized List<String> summary() {
      List<String> lines = new ArrayList<>();
      counts.forEach((r, n) -> lines.add(n + " × " + r));
      if (others > 0) {
        lines.add(others + " × other reasons");
      }
      return lines;
    }
  }
}
