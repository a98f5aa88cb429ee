package dev.switchboard.gateway;

import java.util.List;
import java.util.Set;

/**
 * Told of each change of a {@link Registry} (a device connected or gone, channels joined or left),
 * for an engine that mirrors the registry elsewhere (the Redis presence). Attach one with {@link
 * Registry#listen}.
 *
 * <p>Each method is called after its change is made and visible in the registry, on the thread that
 * made it (an event loop, for subscriptions), outside the registry's lock: so it must never block
 * (hand the work to a thread of its own through a bounded queue), and two changes made on two
 * threads at once may be told in either order, so read the registry for the state now rather than
 * replay the events. What it throws is logged and never reaches the registry's caller.
 */
public interface RegistryListener {

  /** The listener of a registry that has none: does nothing. */
  RegistryListener NONE = new RegistryListener() {};

  /** {@code device} is connected (its reservation activated), on no channel yet. */
  default void onConnected(Device device) {}

  /** {@code device} is gone, with the channels it was subscribed to (sorted; empty when none). */
  default void onDisconnected(Device device, Set<String> channels) {}

  /** {@code device} joined {@code channels}: only those it was not on already, never empty. */
  default void onSubscribed(Device device, List<String> channels) {}

  /** {@code device} left {@code channels}: only those it was on, never empty. */
  default void onUnsubscribed(Device device, List<String> channels) {}
}
