package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.gateway.RateLimitStore;
import dev.switchboard.resilience.RateLimiter;
import dev.switchboard.resilience.RateLimiterConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The server's buckets without a socket: keys, addresses, the off switch, the stores it asks for
 * and the header arithmetic.
 */
class RateLimitGateTest {

  private static RateLimitGate gate(RateLimits limits) {
    return new RateLimitGate(limits, RateLimitStore.Factory.inMemory(), new ServerCounters());
  }

  private static Optional<RateLimiter.Result> http(
      RateLimitGate gate, Optional<String> key, String address) {
    return gate.http(key, address).toCompletableFuture().join();
  }

  private static boolean upgrade(RateLimitGate gate, String address) {
    return gate.upgrade(address).toCompletableFuture().join();
  }

  @Test
  void offLimitsNothing() {
    RateLimitGate gate = gate(RateLimits.OFF);
    assertThat(http(gate, Optional.of("some-api-key-0123456789"), "127.0.0.1")).isEmpty();
    for (int i = 0; i < 100; i++) {
      assertThat(upgrade(gate, "127.0.0.1")).isTrue();
    }
  }

  @Test
  void aKeyAndAnAddressHaveSeparateBudgets() {
    RateLimitGate gate = gate(new RateLimits(1, 2, 0));
    assertThat(gate.httpLimit()).isEqualTo(2);
    assertThat(http(gate, Optional.of("key"), "10.0.0.1").orElseThrow().remaining()).isEqualTo(1);
    assertThat(http(gate, Optional.of("key"), "10.0.0.2").orElseThrow().remaining()).isZero();
    RateLimiter.Result spent = http(gate, Optional.of("key"), "10.0.0.1").orElseThrow();
    assertThat(spent.granted()).isFalse();
    assertThat(http(gate, Optional.empty(), "10.0.0.1").orElseThrow().granted()).isTrue();
    assertThat(http(gate, Optional.empty(), "10.0.0.2").orElseThrow().remaining()).isEqualTo(1);
  }

  @Test
  void aBurstOfZeroMeansTheRate() {
    assertThat(gate(new RateLimits(5, 0, 0)).httpLimit()).isEqualTo(5);
  }

  @Test
  void upgradesAreCountedPerAddress() {
    RateLimitGate gate = gate(new RateLimits(0, 0, 2));
    assertThat(upgrade(gate, "10.0.0.1")).isTrue();
    assertThat(upgrade(gate, "10.0.0.1")).isTrue();
    assertThat(upgrade(gate, "10.0.0.1")).isFalse();
    assertThat(upgrade(gate, "10.0.0.2")).isTrue();
  }

  @Test
  void theStoresAreNamedAndSizedAfterTheLimitsAndKeyedByHashOrAddress() {
    List<String> made = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    RateLimitStore.Factory recording =
        (name, limit) -> {
          made.add(name + " " + limit.rate() + "/" + limit.period() + " burst " + limit.burst());
          RateLimitStore store = RateLimitStore.Factory.inMemory().create(name, limit);
          return new RateLimitStore() {
            @Override
            public RateLimiterConfig limit() {
              return store.limit();
            }

            @Override
            public CompletionStage<RateLimiter.Result> tryAcquire(String key) {
              keys.add(name + " " + key);
              return store.tryAcquire(key);
            }
          };
        };
    RateLimitGate gate =
        new RateLimitGate(new RateLimits(100, 200, 10), recording, new ServerCounters());

    http(gate, Optional.of("secret"), "10.0.0.1");
    http(gate, Optional.empty(), "10.0.0.1");
    upgrade(gate, "10.0.0.1");

    assertThat(made)
        .containsExactly("http-api 100/PT1S burst 200", "websocket-upgrades 10/PT1M burst 10");
    assertThat(keys)
        .containsExactly(
            // SHA-256 of "secret": the key itself is never kept
            "http-api key:2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b",
            "http-api ip:10.0.0.1",
            "websocket-upgrades 10.0.0.1");
  }

  @Test
  void aStoreThatFailsGrants() {
    RateLimitStore.Factory failing =
        (name, limit) ->
            new RateLimitStore() {
              @Override
              public RateLimiterConfig limit() {
                return limit;
              }

              @Override
              public CompletionStage<RateLimiter.Result> tryAcquire(String key) {
                return CompletableFuture.failedFuture(new IllegalStateException("store down"));
              }
            };
    RateLimitGate gate = new RateLimitGate(new RateLimits(1, 1, 1), failing, new ServerCounters());

    assertThat(http(gate, Optional.empty(), "10.0.0.1")).isEmpty();
    assertThat(upgrade(gate, "10.0.0.1")).isTrue();
  }

  @Test
  void secondsAreRoundedUp() {
    assertThat(RateLimitGate.seconds(0)).isZero();
    assertThat(RateLimitGate.seconds(1)).isEqualTo(1);
    assertThat(RateLimitGate.seconds(1_000_000_000L)).isEqualTo(1);
    assertThat(RateLimitGate.seconds(1_000_000_001L)).isEqualTo(2);
  }

  @Test
  void negativeLimitsAreRefusedByName() {
    assertThatThrownBy(() -> new RateLimits(-1, 0, 0))
        .hasMessageContaining("http.rate_limit_per_second");
    assertThatThrownBy(() -> new RateLimits(0, 0, -3))
        .hasMessageContaining("websocket.connections_per_minute_per_ip")
        .hasMessageContaining("-3");
  }
}
