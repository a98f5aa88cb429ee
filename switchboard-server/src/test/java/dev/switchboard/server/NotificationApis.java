package dev.switchboard.server;

import dev.switchboard.gateway.Broker;
import dev.switchboard.gateway.Deliveries;
import dev.switchboard.gateway.DeliveryLimits;
import dev.switchboard.gateway.DeliveryStore;
import dev.switchboard.gateway.Dispatcher;
import dev.switchboard.gateway.Registry;
import dev.switchboard.gateway.Templates;
import java.time.Clock;

/** The HTTP API's send half over a given broker, for tests that build the API without a server. */
final class NotificationApis {

  private NotificationApis() {}

  /** Sends through {@code broker}, with in-memory idempotency keys of the default limits. */
  static NotificationApi over(Broker broker) {
    DeliveryLimits limits = DeliveryLimits.DEFAULTS;
    return new NotificationApi(
        broker,
        Clock.systemUTC(),
        new IdempotentSends(
            DeliveryStore.inMemory(limits).idempotency(),
            limits.idempotencyTtl(),
            Clock.systemUTC()),
        Templates.inMemory(100));
  }

  /** The in-memory broker of one node whose devices are {@code registry}'s. */
  static Broker inMemory(Registry registry) {
    return Broker.inMemory(
        new Deliveries(
            new Dispatcher(registry),
            DeliveryStore.inMemory(DeliveryLimits.DEFAULTS),
            Clock.systemUTC()));
  }
}
