package dev.switchboard.server;

import dev.switchboard.client.Backoff;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.PushClient;
import dev.switchboard.client.StateChange;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.jsonrpc.TraceContext;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.rpc.RpcObserver;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;

/**
 * Devices {@code storm-0}, {@code storm-1}, ..., one {@link PushClient} each with {@code
 * acknowledge(true)} ({@code ?ack=1}, deduplicated by id, reconnecting with jittered backoff),
 * behind a round-robin balancer that knows nothing of health: each connection attempt of any device
 * goes to the next of {@code ports}, so a device whose attempt finds a dead node backs off and
 * lands on another one next time. It records what each device's listener got (once per id, in
 * arrival order), how many notifications came over the wire (duplicates included), on which node
 * each device is, and how often each has connected.
 *
 * <p>The devices use {@link SwitchboardClient}'s own WebSocket client, not the JDK's (which {@link
 * dev.switchboard.client.PushFleet} shares by default): the JDK's {@code java.net.http.WebSocket}
 * (17 and 25 alike) never tells its listener when the TCP connection ends without a close frame
 * while the listener is handling a message (its transport reads the EOF with no demand and throws
 * an {@code InternalError} that nobody sees), so after a storm a few of its devices would believe
 * they were still connected until a keepalive ping failed.
 */
final class AckingFleet implements AutoCloseable {

  private final List<Integer> ports;
  private final AtomicInteger turn = new AtomicInteger();
  private final AtomicLong onTheWire = new AtomicLong();
  private final RpcConfig counting = RpcConfig.builder().observer(new WireCounter()).build();
  private final List<PushClient> clients = new ArrayList<>();
  private final List<List<String>> received = new ArrayList<>();
  private final AtomicIntegerArray node;
  private final AtomicIntegerArray connects;
  private final AtomicReferenceArray<StateChange> lastChange;

  AckingFleet(int size, List<Integer> ports, Backoff backoff) {
    this.ports = List.copyOf(ports);
    this.node = new AtomicIntegerArray(size);
    this.connects = new AtomicIntegerArray(size);
    this.lastChange = new AtomicReferenceArray<>(size);
    for (int i = 0; i < size; i++) {
      int device = i;
      List<String> got = new CopyOnWriteArrayList<>();
      received.add(got);
      PushClient client =
          PushClient.builder(URI.create("ws://127.0.0.1:" + ports.getFirst() + "/ws"))
              .connector((target, methods) -> connect(device, target, methods))
              .token(() -> PushTokens.valid(user(device)))
              .acknowledge(true)
              .backoff(backoff)
              .build()
              .onNotification(n -> got.add(n.eventType()));
      client.onState(
          change -> {
            lastChange.set(device, change);
            if (change.state() == ConnectionState.CONNECTED) {
              connects.incrementAndGet(device);
            }
          });
      clients.add(client);
    }
  }

  static String user(int device) {
    return "storm-" + device;
  }

  private CompletableFuture<SwitchboardClient> connect(int device, URI target, RpcMethods methods) {
    int to = Math.floorMod(turn.getAndIncrement(), ports.size());
    URI via =
        URI.create(
            "ws://127.0.0.1:" + ports.get(to) + target.getRawPath() + "?" + target.getRawQuery());
    return SwitchboardClient.builder(via)
        .methods(methods)
        .rpc(counting)
        .connectTimeout(Duration.ofSeconds(5))
        .connectAsync()
        .whenComplete(
            (client, failure) -> {
              if (failure == null) {
                node.set(device, to);
              }
            });
  }

  /** Connects every device; completes once each has connected the first time. */
  CompletableFuture<Void> connect() {
    return CompletableFuture.allOf(
        clients.stream().map(PushClient::connect).toArray(CompletableFuture[]::new));
  }

  int size() {
    return clients.size();
  }

  /** The devices whose last connection went to node {@code index} of the ports. */
  List<Integer> on(int index) {
    return IntStream.range(0, size()).filter(i -> node.get(i) == index).boxed().toList();
  }

  /** How many times device {@code i} has connected. */
  int connects(int i) {
    return connects.get(i);
  }

  /** Device {@code i}'s last change of state, with its cause: for failure messages. */
  StateChange lastChange(int i) {
    return lastChange.get(i);
  }

  boolean connected(int i) {
    return clients.get(i).state() == ConnectionState.CONNECTED;
  }

  /** The event types device {@code i}'s listener got: each id once, in arrival order. */
  List<String> received(int i) {
    return List.copyOf(received.get(i));
  }

  /** Notifications that reached the listeners: each id once per device. */
  long unique() {
    return received.stream().mapToLong(List::size).sum();
  }

  /** Notifications that came over the wire, those delivered again included. */
  long onTheWire() {
    return onTheWire.get();
  }

  @Override
  public void close() {
    clients.forEach(PushClient::close);
  }

  /** Counts every {@code notification} the server sends, before the client drops repeats. */
  private final class WireCounter implements RpcObserver {
    @Override
    public Observation serving(String method, Optional<TraceContext> incoming) {
      if (method.equals("notification")) {
        onTheWire.incrementAndGet();
      }
      return Observation.NONE;
    }

    @Override
    public Observation calling(String method) {
      return Observation.NONE;
    }
  }
}
