package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The providers on this node: in-process functions and connected clients that sent {@code
 * cluster.register}. Each provider has an id (a connection's id, say), the functions it serves with
 * their resources, and its calls in flight; a call goes to the least busy provider that matches.
 * Thread-safe; nothing blocks.
 */
public final class LocalProviders {

  private final Map<String, Provider> providers = new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** Runs {@code listener} after every change of what this node serves. */
  public void onChange(Runnable listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Adds {@code functions}, each with {@code resources}, to provider {@code providerId} (created on
   * its first functions); a function it served already takes the new resources.
   *
   * @param invoker how calls reach the provider; its first registration's stays
   * @return the offers added
   * @throws IllegalArgumentException when a name or a tag is not valid ({@link Offer}), or {@code
   *     functions} is empty
   */
  public List<Offer> add(
      String providerId,
      Collection<String> functions,
      Collection<String> resources,
      boolean idempotent,
      Invokers.Invoker invoker) {
    Objects.requireNonNull(providerId, "providerId");
    Objects.requireNonNull(invoker, "invoker");
    if (functions.isEmpty()) {
      throw new IllegalArgumentException("functions must name at least one function");
    }
    List<Offer> added = new ArrayList<>();
    for (String function : new LinkedHashSet<>(functions)) {
      added.add(new Offer(function, Set.copyOf(resources), idempotent));
    }
    providers.compute(
        providerId,
        (id, old) -> {
          Provider p = old == null ? new Provider(id, invoker) : old;
          synchronized (p.offers) {
            added.forEach(o -> p.offers.put(o.function(), o));
          }
          return p;
        });
    changed();
    return added;
  }

  /**
   * Removes {@code functions} from provider {@code providerId} (empty: all of them).
   *
   * @return the functions it no longer serves
   */
  public List<String> remove(String providerId, Collection<String> functions) {
    List<String> removed = new ArrayList<>();
    providers.computeIfPresent(
        providerId,
        (id, p) -> {
          synchronized (p.offers) {
            if (functions.isEmpty()) {
              removed.addAll(p.offers.keySet());
              p.offers.clear();
            } else {
              for (String f : functions) {
                if (p.offers.remove(f) != null) {
                  removed.add(f);
                }
              }
            }
            return p.offers.isEmpty() ? null : p;
          }
        });
    if (!removed.isEmpty()) {
      changed();
    }
    return removed;
  }

  /** What this node serves: every provider's offers, without repeats, sorted by function. */
  public List<Offer> offers() {
    Set<Offer> all = new LinkedHashSet<>();
    for (Provider p : providers.values()) {
      synchronized (p.offers) {
        all.addAll(p.offers.values());
      }
    }
    List<Offer> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparing(Offer::function).thenComparing(o -> o.resources().toString()));
    return sorted;
  }

  /** The calls running on this node's providers. */
  public long load() {
    long load = 0;
    for (Provider p : providers.values()) {
      load += p.inFlight.get();
    }
    return load;
  }

  /** Whether some provider here serves {@code function} at every tag of {@code locs}. */
  public boolean serves(String function, Collection<String> locs) {
    return pick(function, locs).isPresent();
  }

  /** Whether some provider here serves {@code function}, whatever its resources. */
  public boolean hasFunction(String function) {
    return offers().stream().anyMatch(o -> o.function().equals(function));
  }

  /**
   * Starts {@code function} on the least busy provider here that serves it at {@code locs}; empty
   * when none does.
   */
  public Optional<CommandRunner.Running> start(
      String function, Collection<String> locs, JsonNode params, Duration timeout) {
    return pick(function, locs).map(p -> p.start(function, params, timeout));
  }

  private Optional<Provider> pick(String function, Collection<String> locs) {
    Provider best = null;
    long bestLoad = Long.MAX_VALUE;
    for (Provider p : providers.values()) {
      Offer offer;
      synchronized (p.offers) {
        offer = p.offers.get(function);
      }
      long load = p.inFlight.get();
      if (offer != null && offer.serves(function, locs) && load < bestLoad) {
        best = p;
        bestLoad = load;
      }
    }
    return Optional.ofNullable(best);
  }

  private void changed() {
    listeners.forEach(Runnable::run);
  }

  /** One provider: how calls reach it, what it serves, what it runs now. */
  private static final class Provider {
    final String id;
    final Invokers.Invoker invoker;
    final Map<String, Offer> offers = new LinkedHashMap<>();
    final AtomicLong inFlight = new AtomicLong();

    Provider(String id, Invokers.Invoker invoker) {
      this.id = id;
      this.invoker = invoker;
    }

    CommandRunner.Running start(String function, JsonNode params, Duration timeout) {
      inFlight.incrementAndGet();
      CommandRunner.Running running;
      try {
        running = invoker.invoke(function, params, timeout);
      } catch (RuntimeException e) {
        inFlight.decrementAndGet();
        throw e;
      }
      running.result().whenComplete((v, e) -> inFlight.decrementAndGet());
      return running;
    }

    @Override
    public String toString() {
      return "provider " + id;
    }
  }
}
