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
 * Sends notifications: encodes each once, looks up the recipients in the {@link Registry} and hands
 * the same bytes to every device's outbound queue. Never blocks on a device; cost is proportional
 * to the recipients. Thread-safe.
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

  /** Sends {@code notification} to every device {@code target} names. */
  public Delivery send(Target target, Notification notification) {
    Objects.requireNonNull(target, "target");
    Outgoing message =
        Outgoing.notification(notification.encode(), notification.metadata().priority());
    byTarget.computeIfAbsent(target.kind(), k -> new LongAdder()).increment();
    Map<String, Integer> perUser = new LinkedHashMap<>();
    Map<String, Integer> perChannel = new LinkedHashMap<>();
    int total =
        switch (target) {
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
    return new Delivery(notification.id(), total, perUser, perChannel);
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
