package dev.switchboard.server;

import dev.switchboard.gateway.Presence;
import dev.switchboard.gateway.SharedStateException;
import dev.switchboard.gateway.Tenant;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The counts {@code /stats} answers, as Prometheus families: each meter reads the very counter or
 * store total that {@code /stats} reads ({@link ApiRoutes.ServerStats}, {@link Presence.Counts},
 * {@link ServerCounters}), so the two never disagree. {@link #refresh} takes one snapshot before a
 * scrape; every meter of that scrape reads it.
 *
 * <p>Connections are labelled by transport and tenant: the configured tenants and {@code default}
 * by name, any other tenant (one named only by a token) as {@code other}.
 */
final class StatsMeters {

  /** The target kinds of {@link dev.switchboard.gateway.Target}, as {@code /stats} names them. */
  private static final List<String> TARGETS =
      List.of("user", "users", "broadcast", "channel", "channels");

  private static final List<String> TRANSPORTS = List.of("ws", "sse");

  private final Supplier<ApiRoutes.ServerStats> stats;
  private final Presence presence;
  private final Supplier<? extends Collection<Session>> sessions;
  private final Set<String> tenants;

  private volatile Snapshot snapshot;

  private record Snapshot(
      ApiRoutes.ServerStats stats, Presence.Counts presence, Map<String, Integer> connections) {}

  StatsMeters(
      Supplier<ApiRoutes.ServerStats> stats,
      Presence presence,
      Supplier<? extends Collection<Session>> sessions,
      Set<String> configuredTenants) {
    this.stats = stats;
    this.presence = presence;
    this.sessions = sessions;
    Set<String> names = new TreeSet<>(configuredTenants);
    names.add(Tenant.DEFAULT.id());
    this.tenants = Set.copyOf(names);
    this.snapshot = new Snapshot(stats.get(), new Presence.Counts(0, 0, 0, 0, 0), Map.of());
  }

  /** Reads every source once, for the scrape that follows. */
  void refresh() {
    Presence.Counts counts;
    try {
      counts = presence.counts();
    } catch (SharedStateException e) { // the shared store does not answer: keep the last counts
      counts = snapshot.presence();
    }
    snapshot = new Snapshot(stats.get(), counts, census());
  }

  /** This node's sessions by transport and tenant label. */
  private Map<String, Integer> census() {
    Map<String, Integer> out = new HashMap<>();
    for (Session s : sessions.get()) {
      String tenant = s.identity().tenantId().orElse(Tenant.DEFAULT.id());
      out.merge(
          key(s.sink().transport(), tenants.contains(tenant) ? tenant : "other"), 1, Integer::sum);
    }
    return out;
  }

  private static String key(String transport, String tenant) {
    return transport + ' ' + tenant;
  }

  /** Registers every family in {@code registry}. */
  void bindTo(MeterRegistry registry, ServerCounters counters) {
    List<String> tenantLabels = new java.util.ArrayList<>(new TreeSet<>(tenants));
    tenantLabels.add("other");
    for (String transport : TRANSPORTS) {
      for (String tenant : tenantLabels) {
        String key = key(transport, tenant);
        Gauge.builder(
                "switchboard.connections", this, m -> m.snapshot.connections().getOrDefault(key, 0))
            .description("Devices connected to this node now, by transport and tenant")
            .tags("transport", ServerMeters.transportLabel(transport), "tenant", tenant)
            .register(registry);
      }
    }
    gauge(
        registry,
        "switchboard.users.connected",
        "Users with a device connected",
        s -> s.presence().users());
    gauge(
        registry,
        "switchboard.channels.active",
        "Channels with a subscriber",
        s -> s.presence().channels());
    gauge(
        registry,
        "switchboard.channel.subscriptions",
        "Subscriptions of all devices to channels",
        s -> s.presence().subscriptions());
    for (String target : TARGETS) {
      FunctionCounter.builder(
              "switchboard.notifications.sent",
              this,
              m -> m.snapshot.stats().gateway().notificationsByTarget().getOrDefault(target, 0L))
          .description("Notifications accepted for sending, by target type")
          .tags("target", target)
          .register(registry);
    }
    counter(
        registry,
        "switchboard.notifications.delivered",
        "Notifications handed to a device's outbound queue (one per device)",
        s -> s.stats().gateway().deliveries());
    counter(
        registry,
        "switchboard.notifications.failed",
        "Deliveries a device refused: closed, or cut off as a slow consumer",
        s -> s.stats().gateway().refused());
    counter(
        registry,
        "switchboard.notifications.dropped",
        "Low and Normal notifications dropped from a full outbound queue to make room",
        s -> s.stats().dropped());
    counter(
        registry,
        "switchboard.slow.consumers",
        "Devices disconnected because their outbound queue overflowed",
        s -> s.stats().slowConsumers());
    counter(
        registry,
        "switchboard.connections.opened",
        "Device connections opened (WebSocket and SSE)",
        s -> s.stats().opened());
    counter(
        registry,
        "switchboard.connections.refused",
        "Device connection attempts refused (auth, limits, rate)",
        s -> s.stats().refusedUpgrades());
    gauge(
        registry,
        "switchboard.queue.messages",
        "Notifications waiting in offline queues",
        s -> s.stats().delivery().inboxes().entries());
    gauge(
        registry,
        "switchboard.queue.users",
        "Users with an offline queue",
        s -> s.stats().delivery().inboxes().users());
    counter(
        registry,
        "switchboard.queue.enqueued",
        "Notifications put in an offline queue",
        s -> s.stats().delivery().inboxes().queued());
    FunctionCounter.builder("switchboard.queue.replayed", counters, c -> c.replayed.sum())
        .description("Queued notifications replayed to a device when it connected")
        .register(registry);
    counter(
        registry,
        "switchboard.queue.expired",
        "Queued notifications whose time to live ran out",
        s -> s.stats().delivery().inboxes().expired());
    counter(
        registry,
        "switchboard.queue.dropped",
        "Queued notifications dropped from a full queue (oldest first)",
        s -> s.stats().delivery().inboxes().dropped());
    gauge(
        registry,
        "switchboard.ack.pending",
        "Deliveries waiting for their ACK",
        s -> s.stats().delivery().acks().pending());
    counter(
        registry,
        "switchboard.ack.received",
        "ACKs received in time",
        s -> s.stats().delivery().acks().acknowledged());
    counter(
        registry,
        "switchboard.ack.expired",
        "Deliveries whose ACK did not come in time",
        s -> s.stats().delivery().acks().expired());
    gauge(
        registry,
        "switchboard.history.channels",
        "Channels keeping a history for recovery",
        s -> s.stats().delivery().history().streams());
    gauge(
        registry,
        "switchboard.history.notifications",
        "Notifications kept in channel histories",
        s -> s.stats().delivery().history().entries());
    gauge(
        registry,
        "switchboard.idempotency.keys",
        "Idempotency keys remembered",
        s -> s.stats().delivery().idempotencyKeys());
    gauge(
        registry,
        "switchboard.sockets.open",
        "TCP connections open",
        s -> s.stats().sockets().open());
    gauge(
        registry,
        "switchboard.sockets.max",
        "The cap on open TCP connections",
        s -> s.stats().sockets().max());
    counter(
        registry,
        "switchboard.sockets.refused",
        "TCP connections closed at once: the cap was reached",
        s -> s.stats().sockets().refused());
    counter(
        registry,
        "switchboard.sockets.evicted",
        "Idle TCP connections closed to make room at the cap",
        s -> s.stats().sockets().evicted());
    counter(
        registry,
        "switchboard.sockets.timed.out",
        "Connections closed by a header, body, idle or handshake timeout",
        s -> s.stats().sockets().timedOut());
    for (ServerCounters.RateLimitKind kind : ServerCounters.RateLimitKind.values()) {
      FunctionCounter.builder("switchboard.ratelimit.allowed", counters, c -> c.allowed(kind))
          .description("Requests a rate limit let through, by kind")
          .tags("kind", kind.wire())
          .register(registry);
      FunctionCounter.builder("switchboard.ratelimit.denied", counters, c -> c.denied(kind))
          .description("Requests a rate limit refused, by kind")
          .tags("kind", kind.wire())
          .register(registry);
    }
  }

  private void gauge(
      MeterRegistry registry, String name, String help, ToDoubleFunction<Snapshot> read) {
    Gauge.builder(name, this, m -> read.applyAsDouble(m.snapshot))
        .description(help)
        .register(registry);
  }

  private void counter(
      MeterRegistry registry, String name, String help, ToDoubleFunction<Snapshot> read) {
    FunctionCounter.builder(name, this, m -> read.applyAsDouble(m.snapshot))
        .description(help)
        .register(registry);
  }
}
