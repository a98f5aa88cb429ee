package dev.switchboard.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/** {@link IdempotencyKeys} in memory: one lock over a map swept of expired keys as it is used. */
final class InMemoryIdempotencyKeys implements IdempotencyKeys {

  /** A claimed key; {@code answer} is empty until completed. */
  private record Kept(String fingerprint, Optional<byte[]> answer, Instant expiresAt) {}

  private final Duration ttl;
  private final int maxKeys;

  /** Guarded by {@code this}. */
  private final Map<String, Kept> keys = new HashMap<>();

  private Instant nextSweep = Instant.MIN;

  InMemoryIdempotencyKeys(DeliveryLimits limits) {
    this.ttl = limits.idempotencyTtl();
    this.maxKeys = limits.idempotencyMaxKeys();
  }

  @Override
  public synchronized Claim claim(String key, String fingerprint, Instant now) {
    sweep(now);
    Kept kept = keys.get(key);
    if (kept != null && kept.expiresAt().isAfter(now)) {
      if (!kept.fingerprint().equals(fingerprint)) {
        return new Claim.Mismatch();
      }
      // A copy each time: a caller writing to its answer must not change the next repeat's.
      return kept.answer()
          .<Claim>map(answer -> new Claim.Answered(answer.clone()))
          .orElseGet(Claim.InProgress::new);
    }
    if (kept == null && keys.size() >= maxKeys) {
      sweep(now, true);
      if (keys.size() >= maxKeys) {
        return new Claim.Full();
      }
    }
    keys.put(key, new Kept(fingerprint, Optional.empty(), now.plus(ttl)));
    return new Claim.Claimed();
  }

  @Override
  public synchronized void complete(String key, byte[] answer, Instant now) {
    Kept kept = keys.get(key);
    if (kept != null) {
      // The window starts when the answer is known: a repeat within it gets the answer.
      keys.put(key, new Kept(kept.fingerprint(), Optional.of(answer.clone()), now.plus(ttl)));
    }
  }

  @Override
  public synchronized void release(String key) {
    keys.remove(key);
  }

  @Override
  public synchronized long size(Instant now) {
    sweep(now, true);
    return keys.size();
  }

  /** Forgets expired keys, at most once a second unless {@code now} is forced. */
  private void sweep(Instant now) {
    sweep(now, false);
  }

  private void sweep(Instant now, boolean force) {
    if (!force && now.isBefore(nextSweep)) {
      return;
    }
    nextSweep = now.plusSeconds(1);
    Iterator<Kept> it = keys.values().iterator();
    while (it.hasNext()) {
      if (!it.next().expiresAt().isAfter(now)) {
        it.remove();
      }
    }
  }
}
