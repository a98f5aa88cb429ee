package dev.switchboard.server;

import dev.switchboard.redis.RedisBroker;
import dev.switchboard.redis.RedisEngine;
import dev.switchboard.redis.TriggerStats;
import dev.switchboard.resilience.micrometer.ResilienceMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The Redis engine's meters (Ara's {@code ara_redis_*} families): whether Redis answers, its
 * circuit breaker (through {@link ResilienceMetrics}), the live nodes, publications this node's
 * delivery queue dropped, and Ara's Redis triggers by outcome. Registered only when the engine
 * runs.
 */
final class ClusterMeters {

  private ClusterMeters() {}

  static void bind(
      MeterRegistry registry,
      ClusterView cluster,
      RedisEngine engine,
      RedisBroker broker,
      Supplier<Optional<TriggerStats>> triggers) {
    Gauge.builder("switchboard.redis.up", cluster, c -> c.problem().isEmpty() ? 1 : 0)
        .description("Whether Redis answers this node now (1) or not (0)")
        .register(registry);
    Gauge.builder("switchboard.cluster.nodes", cluster, c -> c.nodes().size())
        .description("Nodes heard from within the last 5 s, this one included")
        .register(registry);
    FunctionCounter.builder("switchboard.redis.publications.dropped", broker, RedisBroker::dropped)
        .description("Publications this node dropped because its delivery queue was full")
        .register(registry);
    ResilienceMetrics.of(engine.breaker()).bindTo(registry);
    trigger(registry, triggers, "received", TriggerStats::received);
    trigger(registry, triggers, "handled", TriggerStats::handled);
    trigger(registry, triggers, "malformed", TriggerStats::malformed);
    trigger(registry, triggers, "failed", TriggerStats::failed);
    trigger(registry, triggers, "dropped", TriggerStats::dropped);
  }

  private static void trigger(
      MeterRegistry registry,
      Supplier<Optional<TriggerStats>> triggers,
      String outcome,
      ToLongFunction<TriggerStats> read) {
    FunctionCounter.builder(
            "switchboard.redis.triggers", triggers, t -> t.get().map(read::applyAsLong).orElse(0L))
        .description("Ara's Redis triggers heard while holding the lease, by outcome")
        .tags("outcome", outcome)
        .register(registry);
  }
}
