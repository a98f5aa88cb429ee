package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.rpc.CloseReason;
import dev.switchboard.rpc.ConnectionClosedException;
import dev.switchboard.rpc.RpcMethods;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to a Switchboard server that stays up: it reconnects after a drop with {@link
 * Backoff} (full jitter; the server's {@code reconnect_after_seconds} after its {@code shutdown}
 * notice), restores its subscriptions and recovers them from the last offsets it saw, drops
 * notifications delivered again (same id), refreshes its token at three quarters of its life, and
 * tells every change of state.
 *
 * <pre>{@code
 * PushClient client = PushClient.builder(URI.create("ws://localhost:8080/ws"))
 *     .token(() -> auth.freshJwt())
 *     .build();
 * client.onState(change -> log.info("{}", change));
 * client.subscribe("orders", n -> show(n.payload()));
 * client.connect().join();
 * }</pre>
 *
 * <p>Over WebTransport, give the builder switchboard-client-webtransport's connector. Thread-safe.
 * Notification handlers run one at a time, in order, on a virtual thread of this client.
 */
public final class PushClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PushClient.class);

  /** Opens one connection to {@code uri} offering {@code methods}. */
  @FunctionalInterface
  public interface Connector {
    CompletableFuture<? extends SwitchboardClient> connect(URI uri, RpcMethods methods);
  }

  /** Refreshes come at least this far apart, whatever tokens say. */
  private static final long MIN_REFRESH_MILLIS = 1000;

  private final URI uri;
  private final Connector connector;
  private final Optional<Supplier<String>> token;
  private final RpcMethods methods;
  private final Backoff backoff;
  private final RandomGenerator random;
  private final ScheduledExecutorService scheduler;
  private final Executor delivery;
  private final Clock clock;
  private final boolean acknowledging;
  private final SeenIds seen = new SeenIds(10_000);
  private final List<Consumer<StateChange>> stateListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<PushNotification>> listeners = new CopyOnWriteArrayList<>();
  private final ChannelSubscriptions subscriptions = new ChannelSubscriptions();
  private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
  private final Object lock = new Object();
  // Guarded by lock:
  private ConnectionState state = ConnectionState.DISCONNECTED;
  private Optional<SwitchboardClient> current = Optional.empty();
  private boolean started;
  private int attempt;
  private Optional<Duration> announced = Optional.empty(); // the server's reconnect_after_seconds

  private PushClient(Builder b) {
    uri = b.uri;
    connector = b.connector;
    token = b.token;
    methods =
        RpcMethods.builder()
            .include(b.methods)
            .nonBlockingMethod("notification", c -> received(c.params().node()))
            .nonBlockingMethod("shutdown", c -> shutdownAnnounced(c.params().node()))
            .build();
    backoff = b.backoff;
    random = b.random;
    scheduler = b.scheduler;
    delivery = SerialDelivery.create(4096);
    clock = b.clock;
    acknowledging = b.acknowledging;
  }

  public static Builder builder(URI uri) {
    return new Builder(uri);
  }

  /**
   * Starts connecting; the future completes once connected the first time. Attempts go on until
   * then (a refusal with 401 or 403 closes the client and fails the future).
   */
  public CompletableFuture<Void> connect() {
    synchronized (lock) {
      if (!started && state != ConnectionState.CLOSED) {
        started = true;
        scheduler.execute(this::attempt);
      }
    }
    return firstConnect;
  }

  public ConnectionState state() {
    synchronized (lock) {
      return state;
    }
  }

  /** Tells {@code listener} every change of state from now on. */
  public PushClient onState(Consumer<StateChange> listener) {
    stateListeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /** Tells {@code listener} every notification (a channel's, or one sent to the user), once. */
  public PushClient onNotification(Consumer<PushNotification> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Subscribes to {@code channel} (now if connected, else on connecting) and hands its
   * notifications to {@code handler}; restored, and recovered from the last offset, after every
   * reconnect.
   *
   * @throws IllegalStateException when {@code channel} is subscribed already
   */
  public Subscription subscribe(String channel, Consumer<PushNotification> handler) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(handler, "handler");
    if (!subscriptions.add(channel, handler)) {
      throw new IllegalStateException(channel + " is subscribed already");
    }
    current().ifPresent(c -> subscribeOn(c, List.of(channel)));
    return new Subscription() {
      @Override
      public String channel() {
        return channel;
      }

      @Override
      public void unsubscribe() {
        if (subscriptions.remove(channel, handler)) {
          current()
              .ifPresent(
                  c -> c.call("unsubscribe", Params.named(Map.of("channels", List.of(channel)))));
        }
      }
    };
  }

  /** Acknowledges a notification sent to the user ({@code ack}); fails when not connected. */
  public CompletableFuture<JsonNode> ack(String notificationId) {
    return call("ack", Params.named(Map.of("notification_id", notificationId)));
  }

  /** Calls a method on the current connection; fails at once when there is none. */
  public CompletableFuture<JsonNode> call(String method, Params params) {
    return current()
        .<CompletableFuture<JsonNode>>map(c -> c.call(method, params))
        .orElseGet(
            () ->
                CompletableFuture.failedFuture(
                    new ConnectionClosedException(CloseReason.CONNECTION_LOST, "not connected")));
  }

  /** The connection now open, if any. */
  public Optional<SwitchboardClient> current() {
    synchronized (lock) {
      return state == ConnectionState.CONNECTED ? current : Optional.empty();
    }
  }

  /** Closes for good: no more attempts, the connection closed normally. */
  @Override
  public void close() {
    Optional<SwitchboardClient> open;
    synchronized (lock) {
      if (state == ConnectionState.CLOSED) {
        return;
      }
      open = current;
      current = Optional.empty();
    }
    change(
        ConnectionState.CLOSED,
        Optional.of(new CloseReason(CloseReason.NORMAL, "closed")),
        Optional.empty());
    open.ifPresent(SwitchboardClient::close);
    firstConnect.completeExceptionally(new ConnectionClosedException(CloseReason.NORMAL, "closed"));
  }

  private void attempt() {
    if (!change(ConnectionState.CONNECTING, Optional.empty(), Optional.empty())) {
      return;
    }
    URI base = acknowledging ? TokenLife.withParameter(uri, "ack", "1") : uri;
    Optional<String> used = token.map(Supplier::get);
    URI target = used.map(t -> TokenLife.inQuery(base, t)).orElse(base);
    connector
        .connect(target, methods)
        .whenComplete(
            (client, failure) -> {
              if (failure != null) {
                failed(failure);
              } else {
                opened(client, used);
              }
            });
  }

  private void opened(SwitchboardClient client, Optional<String> used) {
    synchronized (lock) {
      if (state == ConnectionState.CLOSED) {
        client.close();
        return;
      }
      current = Optional.of(client);
      attempt = 0;
      announced = Optional.empty();
    }
    client.closeFuture().thenAccept(reason -> dropped(client, reason));
    List<String> channels = subscriptions.channels();
    CompletableFuture<?> restored =
        channels.isEmpty()
            ? CompletableFuture.completedFuture(null)
            : subscribeOn(client, channels);
    restored.whenComplete(
        (v, e) -> {
          synchronized (lock) {
            if (current.orElse(null) != client) {
              return; // dropped while restoring: the drop's retry is under way
            }
          }
          if (change(ConnectionState.CONNECTED, Optional.empty(), Optional.empty())) {
            firstConnect.complete(null);
            used.ifPresent(t -> scheduleRefresh(client, t));
          }
        });
  }

  /** Subscribes {@code channels} on {@code client}, recovering those with a known position. */
  private CompletableFuture<JsonNode> subscribeOn(SwitchboardClient client, List<String> channels) {
    return client
        .call("subscribe", subscriptions.subscribeParams(channels))
        .whenComplete(
            (answer, e) -> {
              if (e != null) {
                log.warn("subscribing {} failed: {}", channels, e.toString());
              } else {
                subscriptions.answered(answer);
              }
            });
  }

  private Object received(JsonNode params) {
    PushNotification n = PushNotification.from(params);
    if (!n.id().isEmpty() && !seen.firstTime(n.id())) {
      return null; // delivered again (at-least-once, or a recovery overlap)
    }
    subscriptions.seen(n);
    delivery.execute(
        () -> {
          try {
            listeners.forEach(l -> l.accept(n));
            n.channel().flatMap(subscriptions::handler).ifPresent(h -> h.accept(n));
          } catch (RuntimeException e) {
            // Not handled: not acknowledged, and welcome when it comes again.
            log.warn("a handler of notification {} threw", n.id(), e);
            seen.forget(n.id());
            return;
          }
          // At-least-once: a user's notification is acknowledged once its handlers ran.
          if (acknowledging && n.channel().isEmpty() && !n.id().isEmpty()) {
            ack(n.id());
          }
        });
    return null;
  }

  private Object shutdownAnnounced(JsonNode params) {
    if (params.path("reconnect_after_seconds").canConvertToLong()) {
      synchronized (lock) {
        announced = Optional.of(Duration.ofSeconds(params.get("reconnect_after_seconds").asLong()));
      }
    }
    return null;
  }

  private void dropped(SwitchboardClient client, CloseReason reason) {
    Duration delay;
    synchronized (lock) {
      if (current.orElse(null) != client || state == ConnectionState.CLOSED) {
        return;
      }
      current = Optional.empty();
      // 4001 "token expired": at once, with a fresh token; a shutdown: when the server said.
      delay =
          reason.code() == 4001 && token.isPresent()
              ? Duration.ZERO
              : announced.orElseGet(() -> backoff.delay(attempt++, random));
    }
    retryAfter(delay, reason);
  }

  private void failed(Throwable failure) {
    if (refusedForGood(failure)) {
      CloseReason reason =
          new CloseReason(CloseReason.POLICY_VIOLATION, String.valueOf(failure.getMessage()));
      change(ConnectionState.CLOSED, Optional.of(reason), Optional.empty());
      firstConnect.completeExceptionally(failure);
      return;
    }
    Duration delay;
    synchronized (lock) {
      delay = backoff.delay(attempt++, random);
    }
    retryAfter(delay, new CloseReason(CloseReason.CONNECTION_LOST, "connect failed: " + failure));
  }

  private void retryAfter(Duration delay, CloseReason reason) {
    if (change(ConnectionState.DISCONNECTED, Optional.of(reason), Optional.of(delay))) {
      scheduler.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Refreshes {@code client}'s token {@code current} at three quarters of its life, again and
   * again.
   */
  private void scheduleRefresh(SwitchboardClient client, String currentToken) {
    Supplier<String> tokens = token.orElseThrow();
    TokenLife.refreshIn(currentToken, clock.instant())
        .ifPresent(
            in ->
                scheduler.schedule(
                    () -> {
                      if (current().orElse(null) != client) {
                        return; // that connection is gone; the next one schedules its own
                      }
                      String fresh = tokens.get();
                      client
                          .call("refresh", Params.named(Map.of("token", fresh)))
                          .whenComplete(
                              (v, e) -> {
                                if (e != null) {
                                  log.warn("token refresh refused: {}", e.toString());
                                } else {
                                  scheduleRefresh(client, fresh);
                                }
                              });
                    },
                    Math.max(in.toMillis(), MIN_REFRESH_MILLIS),
                    TimeUnit.MILLISECONDS));
  }

  /** Moves to {@code next} and tells the listeners; false when closed (nothing changes then). */
  private boolean change(
      ConnectionState next, Optional<CloseReason> cause, Optional<Duration> retryIn) {
    synchronized (lock) {
      if (state == ConnectionState.CLOSED) {
        return false;
      }
      state = next;
    }
    StateChange change = new StateChange(next, cause, retryIn);
    for (Consumer<StateChange> listener : stateListeners) {
      try {
        listener.accept(change);
      } catch (RuntimeException e) {
        log.warn("state listener threw", e);
      }
    }
    return true;
  }

  /** A 401 or 403 answer to the handshake or the CONNECT: trying again would not help. */
  static boolean refusedForGood(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (message.matches("(?s).*\\b(401|403)\\b.*")) {
        return true;
      }
    }
    return false;
  }

  /** Configures a {@link PushClient}. */
  public static final class Builder {
    private final URI uri;
    private Connector connector;
    private Optional<Supplier<String>> token = Optional.empty();
    private RpcMethods methods = RpcMethods.empty();
    private Backoff backoff = Backoff.DEFAULT;
    private RandomGenerator random = RandomGenerator.getDefault();
    private ScheduledExecutorService scheduler = SharedScheduler.INSTANCE;
    private Clock clock = Clock.systemUTC();
    private boolean acknowledging;

    private Builder(URI uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
      this.connector =
          (target, offered) -> SwitchboardClient.builder(target).methods(offered).connectAsync();
    }

    /** How a connection is opened. Default: {@link SwitchboardClient}'s WebSocket. */
    public Builder connector(Connector value) {
      connector = Objects.requireNonNull(value, "connector");
      return this;
    }

    /**
     * Where tokens come from: asked on every connect ({@code ?token=}) and for every refresh.
     * Default: none (the URI's own, or none in development).
     */
    public Builder token(Supplier<String> value) {
      token = Optional.of(Objects.requireNonNull(value, "token"));
      return this;
    }

    /** Methods the server may call on us, besides {@code notification} and {@code shutdown}. */
    public Builder methods(RpcMethods value) {
      methods = Objects.requireNonNull(value, "methods");
      return this;
    }

    /** The waits between attempts. Default {@link Backoff#DEFAULT}: 0.5 s doubling up to 20 s. */
    public Builder backoff(Backoff value) {
      backoff = Objects.requireNonNull(value, "backoff");
      return this;
    }

    /**
     * At-least-once delivery: connects with {@code ?ack=1} and acknowledges each notification sent
     * to the user once the listeners ran without throwing; what was not acknowledged comes again on
     * the next connection (and a duplicate is dropped by id). Default: off (Ara's delivery).
     */
    public Builder acknowledge(boolean value) {
      acknowledging = value;
      return this;
    }

    /** The jitter's source (tests). */
    Builder random(RandomGenerator value) {
      random = Objects.requireNonNull(value, "random");
      return this;
    }

    /** The clock tokens' lives are read against (tests). */
    Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    public PushClient build() {
      return new PushClient(this);
    }
  }
}
