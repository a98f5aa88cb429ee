package dev.switchboard.redis;

import dev.switchboard.gateway.Broker;
import dev.switchboard.gateway.BrokerContract;
import dev.switchboard.gateway.Deliveries;
import dev.switchboard.gateway.DeliveryLimits;
import dev.switchboard.gateway.Dispatcher;
import dev.switchboard.testing.RedisServerProcess;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The broker contract on Redis (a real {@code redis-server}): each node its own engine and broker
 * over one key prefix per test, so the contract's cases on two nodes run too.
 */
class RedisBrokerTest extends BrokerContract {

  private static final AtomicInteger CLUSTERS = new AtomicInteger();

  private static RedisServerProcess redis;

  private final String prefix = "broker-test-" + CLUSTERS.incrementAndGet() + ":";
  private final List<AutoCloseable> opened = new ArrayList<>();
  private int nodes;

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @AfterEach
  void closeNodes() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
  }

  @Override
  protected Broker node(Dispatcher local) {
    String id = "node-" + ++nodes;
    RedisEngine engine =
        RedisEngine.connect(RedisSettings.of(redis.uri(), id).withKeyPrefix(prefix));
    opened.add(engine);
    Deliveries deliveries =
        new Deliveries(
            local, RedisDeliveryStore.create(engine, DeliveryLimits.DEFAULTS), Clock.systemUTC());
    // Its heartbeat tells the publish script it is live, so sends wait for its answers.
    opened.add(RedisMembership.join(engine, Clock.systemUTC(), local.registry()::connectionCount));
    RedisBroker broker =
        RedisBroker.start(engine, deliveries, Duration.ofSeconds(2), Clock.systemUTC());
    opened.add(broker);
    return broker;
  }

  @Override
  protected boolean sharedBetweenNodes() {
    return true;
  }
}
