package dev.switchboard.server;

import dev.switchboard.gateway.Tenant;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Notifications each tenant sent through this node today (UTC): {@code messages_today} of {@code
 * /api/v1/tenants}. A new day starts at the first call after midnight. Thread-safe.
 */
final class TenantMessages {

  private final Clock clock;

  /** Today's counts by tenant id; replaced whole when the day changes. */
  private volatile Day day;

  private record Day(
      LocalDate date, Map<String, LongAdder> sent, Map<String, LongAdder> delivered) {}

  TenantMessages(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.day = new Day(today(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
  }

  /** Counts one notification sent by {@code tenant}, handed to {@code devices} devices. */
  void sent(Tenant tenant, int devices) {
    Day now = current();
    now.sent().computeIfAbsent(tenant.id(), k -> new LongAdder()).increment();
    now.delivered().computeIfAbsent(tenant.id(), k -> new LongAdder()).add(devices);
  }

  /** How many devices took what {@code tenant} sent today. */
  long deliveredToday(Tenant tenant) {
    LongAdder n = current().delivered().get(tenant.id());
    return n == null ? 0 : n.sum();
  }

  /** What {@code tenant} sent today. */
  long today(Tenant tenant) {
    LongAdder n = current().sent().get(tenant.id());
    return n == null ? 0 : n.sum();
  }

  /** The tenants that sent something today. */
  SortedSet<String> tenants() {
    return new TreeSet<>(current().sent().keySet());
  }

  private Day current() {
    Day now = day;
    LocalDate date = today();
    if (!now.date().equals(date)) {
      synchronized (this) {
        if (!day.date().equals(date)) {
          day = new Day(date, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        }
        now = day;
      }
    }
    return now;
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
