package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.gateway.LimitExceededException.Limit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A limit that would be passed throws LimitExceededException naming it, and changes nothing. */
class RegistryLimitsTest {

  @Test
  void theServerTakesNoMoreThanMaxConnections() {
    Registry registry = new Registry(new RegistryLimits(2, 5, 5));
    registry.reserve("alice");
    Registry.Reservation bob = registry.reserve("bob");

    assertThatThrownBy(() -> registry.reserve("carol"))
        .isInstanceOfSatisfying(
            LimitExceededException.class, e -> assertThat(e.limit()).isEqualTo(Limit.CONNECTIONS))
        .hasMessage("the server is full: 2 of max_connections 2");

    bob.close();
    registry.reserve("carol");
    assertThatThrownBy(() -> registry.reserve("dave")).isInstanceOf(LimitExceededException.class);
  }

  @Test
  void aUserGetsNoMoreThanMaxConnectionsPerUser() {
    Registry registry = new Registry(new RegistryLimits(10, 2, 5));
    Registry.Reservation first = registry.reserve("alice");
    first.activate(new FakeDevice("phone", "alice"));
    registry.reserve("alice");

    assertThatThrownBy(() -> registry.reserve("alice"))
        .isInstanceOfSatisfying(
            LimitExceededException.class,
            e -> assertThat(e.limit()).isEqualTo(Limit.CONNECTIONS_PER_USER))
        .hasMessage("user alice already has 2 connections (max_connections_per_user 2)");
    registry.reserve("bob");

    first.close();
    registry.reserve("alice");
    assertThatThrownBy(() -> registry.reserve("alice")).isInstanceOf(LimitExceededException.class);
  }

  @Test
  void aRefusedReservationTakesNoPlace() {
    Registry registry = new Registry(new RegistryLimits(3, 1, 5));
    registry.reserve("alice");
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> registry.reserve("alice"))
          .isInstanceOf(LimitExceededException.class);
    }

    registry.reserve("bob");
    registry.reserve("carol");
    assertThatThrownBy(() -> registry.reserve("dave"))
        .isInstanceOfSatisfying(
            LimitExceededException.class, e -> assertThat(e.limit()).isEqualTo(Limit.CONNECTIONS));
  }

  @Test
  void aSubscribeThatWouldPassTheLimitSubscribesToNone() {
    Registry registry = new Registry(new RegistryLimits(10, 5, 3));
    FakeDevice phone = new FakeDevice("phone", "alice");
    registry.reserve("alice").activate(phone);
    registry.subscribe(phone, List.of("news", "sports"));

    assertThatThrownBy(() -> registry.subscribe(phone, List.of("weather", "traffic")))
        .isInstanceOfSatisfying(
            LimitExceededException.class,
            e -> assertThat(e.limit()).isEqualTo(Limit.SUBSCRIPTIONS_PER_CONNECTION))
        .hasMessage(
            "subscribing to 2 more channels would make 4, over max_subscriptions_per_connection 3");

    assertThat(registry.channelsOf(phone)).containsExactly("news", "sports");
    assertThat(registry.subscribers("weather")).isEmpty();
    assertThat(registry.channels()).containsOnlyKeys("news", "sports");
  }

  @Test
  void channelsAlreadySubscribedDoNotCountAgainstTheLimit() {
    Registry registry = new Registry(new RegistryLimits(10, 5, 3));
    FakeDevice phone = new FakeDevice("phone", "alice");
    registry.reserve("alice").activate(phone);
    registry.subscribe(phone, List.of("news", "sports"));

    assertThat(registry.subscribe(phone, List.of("news", "sports", "weather")))
        .containsExactly("news", "sports", "weather");
    assertThat(registry.channels())
        .containsExactly(Map.entry("news", 1), Map.entry("sports", 1), Map.entry("weather", 1));
  }

  @Test
  void limitsMustBeSensible() {
    assertThatThrownBy(() -> new RegistryLimits(0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max_connections must be at least 1, got 0");
    assertThatThrownBy(() -> new RegistryLimits(1, 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max_connections_per_user must be at least 1, got 0");
    assertThatThrownBy(() -> new RegistryLimits(1, 1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max_subscriptions_per_connection must not be negative, got -1");
    assertThat(RegistryLimits.DEFAULTS).isEqualTo(new RegistryLimits(10_000, 5, 50));
  }
}
