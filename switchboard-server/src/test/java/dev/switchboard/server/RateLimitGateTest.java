package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.resilience.RateLimiter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The server's buckets without a socket: keys, addresses, the off switch and the header arithmetic.
 */
class RateLimitGateTest {

  @Test
  void offLimitsNothing() {
    RateLimitGate gate = new RateLimitGate(RateLimits.OFF);
    assertThat(gate.http(Optional.of("some-api-key-0123456789"), "127.0.0.1")).isEmpty();
    for (int i = 0; i < 100; i++) {
      assertThat(gate.upgrade("127.0.0.1")).isTrue();
    }
  }

  @Test
  void aKeyAndAnAddressHaveSeparateBudgets() {
    RateLimitGate gate = new RateLimitGate(new RateLimits(1, 2, 0));
    assertThat(gate.httpLimit()).isEqualTo(2);
    assertThat(gate.http(Optional.of("key"), "10.0.0.1").orElseThrow().remaining()).isEqualTo(1);
    assertThat(gate.http(Optional.of("key"), "10.0.0.2").orElseThrow().remaining()).isZero();
    RateLimiter.Result spent = gate.http(Optional.of("key"), "10.0.0.1").orElseThrow();
    assertThat(spent.granted()).isFalse();
    assertThat(gate.http(Optional.empty(), "10.0.0.1").orElseThrow().granted()).isTrue();
    assertThat(gate.http(Optional.empty(), "10.0.0.2").orElseThrow().remaining()).isEqualTo(1);
  }

  @Test
  void aBurstOfZeroMeansTheRate() {
    assertThat(new RateLimitGate(new RateLimits(5, 0, 0)).httpLimit()).isEqualTo(5);
  }

  @Test
  void upgradesAreCountedPerAddress() {
    RateLimitGate gate = new RateLimitGate(new RateLimits(0, 0, 2));
    assertThat(gate.upgrade("10.0.0.1")).isTrue();
    assertThat(gate.upgrade("10.0.0.1")).isTrue();
    assertThat(gate.upgrade("10.0.0.1")).isFalse();
    assertThat(gate.upgrade("10.0.0.2")).isTrue();
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
