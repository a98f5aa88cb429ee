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
   * Hands {@code publication} to every device of this node that its target names, each once.
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
            int n = deliver(registry.devicesOf(u.userId()), message, null);
            perUser.put(u.userId(), n);
            yield n;
          }
          case Target.Users u -> {
            int sum = 0;
            for (String user : u.userIds()) {
              int n = deliver(registry.devicesOf(user), message, null);
              perUser.put(user, n);
              sum += n;
            }
            yield sum;
          }
          case Target.Broadcast b -> deliver(registry.devices(), message, null);
          case Target.Channel c -> {
            int n = deliver(registry.subscribers(c.name()), message, null);
            perChannel.put(c.name(), n);
            yield n;
          }
          case Target.Channels c -> {
            Map<Device, Boolean> outcomes = new HashMap<>();
            for (String name : c.names()) {
              // A device already reached through an earlier channel counts for this one too, but is
              // sent nothing.
              perChannel.put(name, deliver(registry.subscribers(name), message, outcomes));
            }
            yield (int) outcomes.values().stream().filter(ok -> ok).count();
          }
        };
    return new Delivery(publication.notificationId(), total, perUser, perChannel);
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
