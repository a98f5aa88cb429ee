package dev.switchboard.gateway;

import java.util.concurrent.CompletionStage;

/**
 * Where a send goes once it was accepted: to every node, each of which hands it to its own devices.
 * The HTTP API (and any other sender) sends through a broker, never to the {@link Dispatcher}
 * directly, so that the same call reaches one node or a cluster.
 *
 * <p>A broker takes the send on this node's dispatcher ({@link Dispatcher#accept}: counted once,
 * encoded once), carries the {@link Publication} (bytes, not objects) to every node, and has each
 * node's dispatcher {@link Dispatcher#deliver deliver} it to its devices.
 *
 * <p>The {@link Delivery} it answers is what the HTTP API reports: the devices, on every node, that
 * took the notification (a device that refused it, being closed or too slow, is not counted), per
 * user and per channel as {@link Dispatcher#deliver} counts them, summed over the nodes. When the
 * stage completes, every device counted has been handed the notification.
 *
 * <p>{@link #inMemory} is the embedded default: this node is the whole cluster. A shared engine
 * must keep the same answers; see "Shared state" in {@code docs/architecture.md} for what it must
 * do, and {@code BrokerContract} (this module's tests) for the behaviours both pass.
 *
 * <p>Implementations are thread-safe, and {@link #publish} never blocks its caller on the network
 * or on a device.
 */
public interface Broker {

  /**
   * Sends {@code notification} to every device {@code target} names, on every node.
   *
   * @return completes with what it reached, within the broker's own bounded time (at once in
   *     memory); fails with {@link SharedStateException} when the shared engine cannot be reached,
   *     in which case some nodes may have delivered it and others not
   * @throws NullPointerException if an argument is null
   */
  CompletionStage<Delivery> publish(Target target, Notification notification);

  /**
   * The broker of a single node: sends through {@code local} on the caller's thread before
   * returning, and answers with a completed stage.
   */
  static Broker inMemory(Deliveries local) {
    return new InMemoryBroker(local);
  }
}
