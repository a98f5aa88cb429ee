package dev.switchboard.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * Many {@link PushClient}s to one server, for load tools and gateways: each member reconnects,
 * restores and recovers on its own, and they share what costs per connection elsewhere. By default
 * the members use the client's own WebSocket over a socket, read on a virtual thread each (cheap
 * while idle); not the JDK's {@link HttpClient} WebSocket, which misses a connection that ends
 * without a close frame while its listener is busy (JDK 17 to 25: neither {@code onClose} nor
 * {@code onError} comes, and the member would sit "connected" on a dead socket until a keepalive
 * ping failed). Connects go {@code window} at a time so that a fleet does not knock on the server
 * all at once.
 *
 * <pre>{@code
 * try (PushFleet fleet = PushFleet.builder(URI.create("ws://localhost:8080/ws"), 1000)
 *     .token(i -> tokens.forUser("user-" + i))
 *     .build()) {
 *   fleet.onNotification((member, n) -> received.increment());
 *   fleet.connect().join();
 * }
 * }</pre>
 */
public final class PushFleet implements AutoCloseable {
  private final List<PushClient> members;
  private final int window;

  private PushFleet(List<PushClient> members, int window) {
    this.members = List.copyOf(members);
    this.window = window;
  }

  /** A fleet of {@code size} members connecting to {@code uri}. */
  public static Builder builder(URI uri, int size) {
    return new Builder(uri, size);
  }

  /** The members, in order: member {@code i} got {@code token.apply(i)}. */
  public List<PushClient> members() {
    return members;
  }

  /** How many members are connected now. */
  public int connected() {
    return (int) members.stream().filter(m -> m.state() == ConnectionState.CONNECTED).count();
  }

  /** Tells {@code listener} every member's notifications, with the member's index. */
  public PushFleet onNotification(BiConsumer<Integer, PushNotification> listener) {
    for (int i = 0; i < members.size(); i++) {
      int index = i;
      members.get(i).onNotification(n -> listener.accept(index, n));
    }
    return this;
  }

  /**
   * Connects every member, {@code window} at a time; completes once each has connected the first
   * time (a member refused for good fails it).
   */
  public CompletableFuture<Void> connect() {
    CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
    for (int from = 0; from < members.size(); from += window) {
      List<PushClient> wave = members.subList(from, Math.min(members.size(), from + window));
      all =
          all.thenCompose(
              v ->
                  CompletableFuture.allOf(
                      wave.stream().map(PushClient::connect).toArray(CompletableFuture[]::new)));
    }
    return all;
  }

  /** Closes every member. */
  @Override
  public void close() {
    members.forEach(PushClient::close);
  }

  /** Configures a {@link PushFleet}. */
  public static final class Builder {
    private final URI uri;
    private final int size;
    private Optional<IntFunction<String>> token = Optional.empty();
    private Optional<PushClient.Connector> connector = Optional.empty();
    private Backoff backoff = Backoff.DEFAULT;
    private int window = 64;

    private Builder(URI uri, int size) {
      this.uri = Objects.requireNonNull(uri, "uri");
      if (size <= 0) {
        throw new IllegalArgumentException("a fleet has at least one member, got " + size);
      }
      this.size = size;
    }

    /** Member {@code i}'s tokens: asked on every connect and refresh. Default: none. */
    public Builder token(IntFunction<String> value) {
      token = Optional.of(Objects.requireNonNull(value, "token"));
      return this;
    }

    /** How members connect. Default: the client's own WebSocket (see the class). */
    public Builder connector(PushClient.Connector value) {
      connector = Optional.of(Objects.requireNonNull(value, "connector"));
      return this;
    }

    /** Each member's waits between attempts. Default {@link Backoff#DEFAULT}. */
    public Builder backoff(Backoff value) {
      backoff = Objects.requireNonNull(value, "backoff");
      return this;
    }

    /** Members connecting at once, 1..10000. Default 64. */
    public Builder window(int value) {
      if (value < 1 || value > 10_000) {
        throw new IllegalArgumentException("window must be 1..10000, got " + value);
      }
      window = value;
      return this;
    }

    public PushFleet build() {
      PushClient.Connector shared =
          connector.orElse(
              (target, methods) ->
                  SwitchboardClient.builder(target).methods(methods).connectAsync());
      List<PushClient> members = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        int index = i;
        PushClient.Builder member = PushClient.builder(uri).connector(shared).backoff(backoff);
        token.ifPresent(t -> member.token(() -> t.apply(index)));
        members.add(member.build());
      }
      return new PushFleet(members, window);
    }
  }
}
