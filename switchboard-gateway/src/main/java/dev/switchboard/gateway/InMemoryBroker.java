package dev.switchboard.gateway;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link Broker#inMemory}: this node is the cluster, so both halves of a send run here. */
final class InMemoryBroker implements Broker {

  private final Dispatcher local;

  InMemoryBroker(Dispatcher local) {
    this.local = Objects.requireNonNull(local, "local");
  }

  @Override
  public CompletionStage<Delivery> publish(Target target, Notification notification) {
    return CompletableFuture.completedFuture(local.deliver(local.accept(target, notification)));
  }
}
