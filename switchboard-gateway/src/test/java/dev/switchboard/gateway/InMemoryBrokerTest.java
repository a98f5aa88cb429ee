package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The broker contract on the embedded default: one node, delivered before {@code publish} returns.
 */
class InMemoryBrokerTest extends BrokerContract {

  @Override
  protected Broker node(Dispatcher local) {
    return Broker.inMemory(deliveries(local));
  }

  @Override
  protected boolean sharedBetweenNodes() {
    return false;
  }

  @Test
  void aSendIsDeliveredOnTheCallersThreadBeforePublishReturns() {
    Registry registry = new Registry(RegistryLimits.DEFAULTS);
    FakeDevice device = new FakeDevice("phone", "alice");
    registry.reserve("alice").activate(device);

    CompletionStage<Delivery> answer =
        Broker.inMemory(deliveries(new Dispatcher(registry)))
            .publish(
                new Target.User("alice"),
                Notification.create(Instant.EPOCH, "ping", IntNode.valueOf(1), Metadata.of("api")));

    assertThat(answer.toCompletableFuture()).isCompleted();
    assertThat(device.received()).hasSize(1);
  }

  static Deliveries deliveries(Dispatcher local) {
    return new Deliveries(
        local, DeliveryStore.inMemory(DeliveryLimits.DEFAULTS), Clock.systemUTC());
  }
}
