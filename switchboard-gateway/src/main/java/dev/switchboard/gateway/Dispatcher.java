package dev.switchboard.gateway;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Hands notifications to this node's devices: looks up the recipients in the {@link Registry} and
 * hands the same bytes to every device's outbound queue. Never blocks on a device; cost is
 * proportional to the recipients. Thread-safe.
 *
 * <p>A send has two halves, which a {@link Broker} puts on either side of the nodes: {@link
 * #accept} on the node that took the send (it counts it and encodes it once), {@link #deliver} on
 * every node (each reaches its own devices). {@link #send} does both here, for this node alone.
 */
public final class Dispatcher {

  private final Registry registry;
  private final Map<String, LongAdder> byTarget = new ConcurrentHashMap<>();
  private final LongAdder deliveries = new LongAdder();
  private final LongAdder refused = new LongAdder();

  public Dispatcher(Registry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  public Registry registry() {
    return registry;
  }

  /** Sends {@code notification} to every device of this node that {@code target} names. */
  public Delivery send(Target target, Notification notification) {
    return deliver(accept(target, notification));
  }

  /**
   * Takes a send on this node: counts it by target kind ({@link
   * GatewayStats#notificationsByTarget}) and encodes it, once for every node and device.
   */
  public Publication accept(Target target, Notification notification) {
    Publication publication = Publication.of(target, notification);
    byTarget.computeIfAbsent(target.kind(), k -> new LongAdder()).increment();
    return publication;
  }

  /**
   * Hands {@code publication} to every device of this node that its target names, each once: a
   * channel's subscribers get it stamped with the channel's position, a user's devices get it at
   * the user's inbox position, when {@code publication} carries them.
   *
   * @return the devices of this node that took it
   */
  public Delivery deliver(Publication publication) {
    Outgoing message = Outgoing.notification(publication.message(), publication.priority());
    Map<String, Integer> perUser = new LinkedHashMap<>();
    Map<String, Integer> perChannel = new LinkedHashMap<>();
    int total =
        switch (publication.target()) {
          case Target.User u -> {
            int n = deliverToUser(u.userId(), publication.at(message, u)).devices();
            perUser.put(u.userId(), n);
            yield n;
          }
          case Target.Users u -> {
            int sum = 0;
            for (String user : u.userIds()) {
              int n = deliverToUser(user, publication.at(message, new Target.User(user))).devices();
              perUser.put(user, n);
              sum += n;
            }
            yield sum;
          }
          case Target.Broadcast b -> deliverToAll(b.tenant(), message);
          case Target.Channel c -> {
            int n = deliverToChannel(c.name(), publication.stamped(c.name()), null);
            perChannel.put(c.name(), n);
            yield n;
          }
          case Target.Channels c -> {
            Map<Device, Boolean> outcomes = new HashMap<>();
            for (String name : c.names()) {
              perChannel.put(name, deliverToChannel(name, publication.stamped(name), outcomes));
            }
            yield reached(outcomes);
          }
        };
    return new Delivery(
        publication.notificationId(), total, perUser, perChannel, java.util.Set.of());
  }

  /** What a delivery to one user's devices reached. */
  public record Reach(int devices, boolean acknowledging) {}

  /** Hands {@code message} to every device of {@code userId}. */
  public Reach deliverToUser(String userId, Outgoing message) {
    Collection<Device> devices = registry.devicesOf(userId);
    int reached = 0;
    boolean acknowledging = false;
    int failed = 0;
    for (Device device : devices) {
      if (device.deliver(message)) {
        reached++;
        acknowledging |= device.acknowledges();
      } else {
        failed++;
      }
    }
    deliveries.add(reached);
    refused.add(failed);
    return new Reach(reached, acknowledging);
  }

  /**
   * Hands {@code message} to every connected device of {@code tenant}; returns how many took it.
   */
  public int deliverToAll(Tenant tenant, Outgoing message) {
    return deliver(
        registry.devices().stream().filter(d -> tenant.ownsUser(d.userId())).toList(),
        message,
        null);
  }

  /**
   * Hands {@code message} to {@code channel}'s subscribers. With {@code outcomes} (a send to
   * several channels), a device already tried for an earlier channel counts as it went then and is
   * sent nothing.
   *
   * @return the subscribers that took it
   */
  public int deliverToChannel(String channel, Outgoing message, Map<Device, Boolean> outcomes) {
    return deliver(registry.subscribers(channel), message, outcomes);
  }

  /** Devices that took a send to several channels. */
  public static int reached(Map<Device, Boolean> outcomes) {
    return (int) outcomes.values().stream().filter(ok -> ok).count();
  }

  /**
   * Delivers to each device; with {@code outcomes}, a device already tried is not tried again but
   * counted as it went then.
   *
   * @return devices that accepted it
   */
  private int deliver(Collection<Device> devices, Outgoing message, Map<Device, Boolean> outcomes) {
    int reached = 0;
    int sent = 0;
    int failed = 0;
    for (Device device : devices) {
      Boolean before = outcomes == null ? null : outcomes.get(device);
      if (before != null) {
        reached += before ? 1 : 0;
        continue;
      }
      boolean ok = device.deliver(message);
      if (outcomes != null) {
        outcomes.put(device, ok);
      }
      if (ok) {
        reached++;
        sent++;
      } else {
        failed++;
      }
    }
    deliveries.add(sent);
    refused.add(failed);
    return reached;
  }

  public GatewayStats stats() {
    Map<String, Long> counts = new TreeMap<>();
    byTarget.forEach((k, v) -> counts.put(k, v.sum()));
    return new GatewayStats(counts, deliveries.sum(), refused.sum());
  }
}
