package dev.switchboard.gateway;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The connected devices, indexed by user and by channel, with the connection limits.
 *
 * <p>A connection first takes a {@link Reservation} (before the WebSocket upgrade is accepted, so
 * that a refused upgrade leaves nothing behind), then {@link Reservation#activate activates} it
 * with its device. Lookups by user and by channel are constant-time and lock-free; changes take one
 * lock, so that limits are checked and applied atomically. Thread-safe.
 */
public final class Registry {

  private static final System.Logger LOG = System.getLogger(Registry.class.getName());

  private final RegistryLimits limits;
  private final Map<Tenant, TenantLimits> tenantLimits;
  private final Clock clock;
  private final Object lock = new Object();

  /** Reserved or active connections; guarded by {@code lock}. */
  private int connections;

  /**
   * Per tenant with a {@link TenantLimits#maxConnections}: reserved or active connections; guarded
   * by {@code lock}.
   */
  private final Map<Tenant, Integer> perTenant = new ConcurrentHashMap<>();

  /** Per user: reserved or active connection count; guarded by {@code lock}. */
  private final Map<String, Integer> perUser = new ConcurrentHashMap<>();

  private final Map<String, Set<Device>> byUser = new ConcurrentHashMap<>();
  private final Map<String, Set<Device>> byChannel = new ConcurrentHashMap<>();

  /**
   * When each channel of {@code byChannel} got its first subscriber; changed under {@code lock}.
   */
  private final Map<String, Instant> channelSince = new ConcurrentHashMap<>();

  /** Active devices and their channels. */
  private final Map<Device, Set<String>> devices = new ConcurrentHashMap<>();

  /** Told of every change, after it; set once, before use ({@link #listen}). */
  private volatile RegistryListener listener = RegistryListener.NONE;

  public Registry(RegistryLimits limits) {
    this(limits, Clock.systemUTC());
  }

  /**
   * @param clock dates each channel's first subscriber ({@link #channelSince})
   */
  public Registry(RegistryLimits limits, Clock clock) {
    this(limits, Map.of(), clock);
  }

  /**
   * @param tenantLimits tenants' own connection limits, overriding {@code limits}' for them
   * @param clock dates each channel's first subscriber ({@link #channelSince})
   */
  public Registry(RegistryLimits limits, Map<Tenant, TenantLimits> tenantLimits, Clock clock) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.tenantLimits = Map.copyOf(tenantLimits);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public RegistryLimits limits() {
    return limits;
  }

  /**
   * Tells {@code listener} of every change from now on (see {@link RegistryListener} for when and
   * on which thread). One listener per registry, attached before the first connection.
   *
   * @throws IllegalStateException when a listener is attached already
   */
  public void listen(RegistryListener listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (lock) {
      if (this.listener != RegistryListener.NONE) {
        throw new IllegalStateException("the registry has a listener already");
      }
      this.listener = listener;
    }
  }

  /**
   * Holds a place for one more connection of {@code userId} (a user's key, {@link Tenant#user}).
   *
   * @throws LimitExceededException when the server, the user's tenant or the user has no room left
   */
  public Reservation reserve(String userId) {
    Tenant.checkUserKey(userId);
    Tenant tenant = Tenant.ofUser(userId);
    TenantLimits own = tenantLimits.getOrDefault(tenant, TenantLimits.NONE);
    int perUserLimit = own.maxConnectionsPerUser().orElse(limits.maxConnectionsPerUser());
    synchronized (lock) {
      if (connections >= limits.maxConnections()) {
        throw new LimitExceededException(
            LimitExceededException.Limit.CONNECTIONS,
            "the server is full: "
                + connections
                + " of max_connections "
                + limits.maxConnections());
      }
      int ofTenant = perTenant.getOrDefault(tenant, 0);
      if (own.maxConnections().isPresent() && ofTenant >= own.maxConnections().getAsInt()) {
        throw new LimitExceededException(
            LimitExceededException.Limit.TENANT_CONNECTIONS,
            "tenant "
                + tenant.id()
                + " already has "
                + ofTenant
                + " connections (its max_connections "
                + own.maxConnections().getAsInt()
                + ")");
      }
      int ofUser = perUser.getOrDefault(userId, 0);
      if (ofUser >= perUserLimit) {
        throw new LimitExceededException(
            LimitExceededException.Limit.CONNECTIONS_PER_USER,
            "user "
                + Tenant.userName(userId)
                + (tenant.isDefault() ? "" : " of tenant " + tenant.id())
                + " already has "
                + ofUser
                + " connections (max_connections_per_user "
                + perUserLimit
                + (own.maxConnectionsPerUser().isPresent() ? ", the tenant's own" : "")
                + ")");
      }
      connections++;
      if (own.maxConnections().isPresent()) {
        perTenant.put(tenant, ofTenant + 1);
      }
      perUser.put(userId, ofUser + 1);
    }
    return new Reservation(userId);
  }

  /**
   * Subscribes {@code device} to {@code channels}, all or none.
   *
   * @return the channels asked for, in order, without duplicates (already subscribed ones included)
   * @throws IllegalArgumentException naming the first invalid channel name
   * @throws LimitExceededException when the device would pass max_subscriptions_per_connection
   * @throws IllegalStateException when the device is not connected
   */
  public List<String> subscribe(Device device, Collection<String> channels) {
    List<String> names = checked(channels);
    List<String> joined = new ArrayList<>(names.size());
    synchronized (lock) {
      Set<String> mine = active(device);
      long added = names.stream().filter(n -> !mine.contains(n)).count();
      if (mine.size() + added > limits.maxSubscriptionsPerConnection()) {
        throw new LimitExceededException(
            LimitExceededException.Limit.SUBSCRIPTIONS_PER_CONNECTION,
            "subscribing to "
                + added
                + " more channels would make "
                + (mine.size() + added)
                + ", over max_subscriptions_per_connection "
                + limits.maxSubscriptionsPerConnection());
      }
      for (String name : names) {
        if (mine.add(name)) {
          channelSince.computeIfAbsent(name, k -> clock.instant());
          byChannel.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet()).add(device);
          joined.add(name);
        }
      }
    }
    if (!joined.isEmpty()) {
      tell(l -> l.onSubscribed(device, List.copyOf(joined)));
    }
    return names;
  }

  /** Unsubscribes {@code device} from {@code channels}; returns them as {@link #subscribe} does. */
  public List<String> unsubscribe(Device device, Collection<String> channels) {
    List<String> names = checked(channels);
    List<String> left = new ArrayList<>(names.size());
    synchronized (lock) {
      Set<String> mine = active(device);
      for (String name : names) {
        if (mine.remove(name)) {
          leaveChannel(device, name);
          left.add(name);
        }
      }
    }
    if (!left.isEmpty()) {
      tell(l -> l.onUnsubscribed(device, List.copyOf(left)));
    }
    return names;
  }

  /** The user's connected devices; empty when none. */
  public Collection<Device> devicesOf(String userId) {
    Set<Device> set = byUser.get(userId);
    return set == null ? Set.of() : Collections.unmodifiableSet(set);
  }

  /** The channel's subscribers; empty when none. */
  public Collection<Device> subscribers(String channel) {
    Set<Device> set = byChannel.get(channel);
    return set == null ? Set.of() : Collections.unmodifiableSet(set);
  }

  /** Every connected device. */
  public Collection<Device> devices() {
    return Collections.unmodifiableSet(devices.keySet());
  }

  /** The channels of one device, sorted; empty when it has none or is not connected. */
  public Set<String> channelsOf(Device device) {
    Set<String> mine = devices.get(device);
    return mine == null ? Set.of() : new TreeSet<>(mine);
  }

  /** Every channel with at least one subscriber, and its subscriber count, by name. */
  public SortedMap<String, Integer> channels() {
    SortedMap<String, Integer> out = new TreeMap<>();
    byChannel.forEach(
        (name, set) -> {
          if (!set.isEmpty()) {
            out.put(name, set.size());
          }
        });
    return out;
  }

  /**
   * The channels any device of {@code userId} is subscribed to; empty when the user is not
   * connected.
   */
  public Optional<Set<String>> subscriptionsOf(String userId) {
    Set<Device> mine = byUser.get(userId);
    if (mine == null || mine.isEmpty()) {
      return Optional.empty();
    }
    Set<String> out = new TreeSet<>();
    mine.forEach(d -> out.addAll(devices.getOrDefault(d, Set.of())));
    return Optional.of(out);
  }

  /**
   * When {@code channel} got its first subscriber since it last had none; empty when it has none.
   */
  public Optional<Instant> channelSince(String channel) {
    return Optional.ofNullable(channelSince.get(Objects.requireNonNull(channel, "channel")));
  }

  /**
   * Connections, users, channels, users with several connections and subscriptions of {@code
   * tenant}'s devices alone. Walks every device: for reports, not for the send path.
   */
  public Presence.Counts counts(Tenant tenant) {
    Objects.requireNonNull(tenant, "tenant");
    int connections = 0;
    int subscriptions = 0;
    for (Map.Entry<Device, Set<String>> e : devices.entrySet()) {
      if (tenant.ownsUser(e.getKey().userId())) {
        connections++;
        subscriptions += e.getValue().size();
      }
    }
    int users = 0;
    int several = 0;
    for (Map.Entry<String, Set<Device>> e : byUser.entrySet()) {
      if (tenant.ownsUser(e.getKey())) {
        users++;
        several += e.getValue().size() > 1 ? 1 : 0;
      }
    }
    int channels = (int) byChannel.keySet().stream().filter(tenant::ownsChannel).count();
    return new Presence.Counts(connections, users, channels, several, subscriptions);
  }

  /** The ids of the tenants with at least one device connected. */
  public SortedSet<String> tenants() {
    SortedSet<String> out = new TreeSet<>();
    byUser.keySet().forEach(key -> out.add(Tenant.ofUser(key).id()));
    return out;
  }

  /** Users with more than one device connected. */
  public int usersWithMultipleConnections() {
    return (int) byUser.values().stream().filter(devices -> devices.size() > 1).count();
  }

  /** Subscriptions of every device together: a device on three channels counts three. */
  public int subscriptionCount() {
    return devices.values().stream().mapToInt(Set::size).sum();
  }

  public int connectionCount() {
    return devices.size();
  }

  public int userCount() {
    return byUser.size();
  }

  public int channelCount() {
    return byChannel.size();
  }

  private Set<String> active(Device device) {
    Set<String> mine = devices.get(Objects.requireNonNull(device, "device"));
    if (mine == null) {
      throw new IllegalStateException("device " + device.id() + " is not connected");
    }
    return mine;
  }

  private static List<String> checked(Collection<String> channels) {
    Objects.requireNonNull(channels, "channels");
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("channels must not be empty");
    }
    List<String> out = new ArrayList<>(channels.size());
    for (String name : channels) {
      Tenant.checkChannelKey(name);
      if (!out.contains(name)) {
        out.add(name);
      }
    }
    return out;
  }

  /**
   * Tells the listener of a change; what it throws stays here. Caller does not hold {@code lock}.
   */
  private void tell(Consumer<RegistryListener> change) {
    try {
      change.accept(listener);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "the registry's listener failed", e);
    }
  }

  /** Caller holds {@code lock}. */
  private void leaveChannel(Device device, String name) {
    Set<Device> set = byChannel.get(name);
    if (set != null && set.remove(device) && set.isEmpty()) {
      byChannel.remove(name);
      channelSince.remove(name);
    }
  }

  /** A place held for one connection; {@link #activate} it or {@link #close} it, once. */
  public final class Reservation implements AutoCloseable {
    private final String userId;

    /** Guarded by {@code lock}. */
    private Device device;

    private boolean released;

    private Reservation(String userId) {
      this.userId = userId;
    }

    public String userId() {
      return userId;
    }

    /** Makes {@code device} (of this reservation's user) findable. */
    public void activate(Device device) {
      Objects.requireNonNull(device, "device");
      if (!device.userId().equals(userId)) {
        throw new IllegalArgumentException(
            "device of user " + device.userId() + " activates a place of " + userId);
      }
      synchronized (lock) {
        if (released || this.device != null) {
          throw new IllegalStateException("reservation of " + userId + " already used");
        }
        if (devices.containsKey(device)) {
          throw new IllegalStateException("device " + device.id() + " is already connected");
        }
        this.device = device;
        devices.put(device, ConcurrentHashMap.newKeySet());
        byUser.computeIfAbsent(userId, k -> ConcurrentHashMap.newKeySet()).add(device);
      }
      tell(l -> l.onConnected(device));
    }

    /** Removes the device (if activated) from every index and frees the place. Idempotent. */
    @Override
    public void close() {
      Set<String> channels;
      synchronized (lock) {
        if (released) {
          return;
        }
        released = true;
        connections--;
        perTenant.computeIfPresent(Tenant.ofUser(userId), (k, n) -> n == 1 ? null : n - 1);
        perUser.computeIfPresent(userId, (k, n) -> n == 1 ? null : n - 1);
        if (device == null) {
          return;
        }
        channels = new TreeSet<>(devices.remove(device));
        channels.forEach(name -> leaveChannel(device, name));
        Set<Device> set = byUser.get(userId);
        if (set != null && set.remove(device) && set.isEmpty()) {
          byUser.remove(userId);
        }
      }
      Device gone = device;
      Set<String> left = Collections.unmodifiableSet(channels);
      tell(l -> l.onDisconnected(gone, left));
    }
  }
}
