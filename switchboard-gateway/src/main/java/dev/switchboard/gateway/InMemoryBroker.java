package dev.switchboard.gateway;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link Broker#inMemory}: this node is the cluster, so a send goes into its streams and to its
 * devices here ({@link Deliveries#publish}).
 */
final class InMemoryBroker implements Broker {

  private final Deliveries local;

  InMemoryBroker(Deliveries local) {
    this.local = Objects.requireNonNull(local, "local");
  }

  @Override
  public CompletionStage<Delivery> publish(Target target, Notification notification) {
    return CompletableFuture.completedFuture(local.publish(target, notification));
  }
}
