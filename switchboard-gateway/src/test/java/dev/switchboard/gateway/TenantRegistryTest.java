package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.gateway.LimitExceededException.Limit;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry's tenants: their own limits, their counts, never another's. */
class TenantRegistryTest {

  private final Tenant acme = new Tenant("acme");
  private final Registry registry =
      new Registry(
          new RegistryLimits(10, 1, 5),
          Map.of(acme, TenantLimits.NONE.withMaxConnections(3).withMaxConnectionsPerUser(2)),
          Clock.systemUTC());

  @Test
  void aTenantsOwnLimitsOverrideTheServers() {
    registry.reserve(acme.user("a"));
    registry.reserve(acme.user("a"));
    assertThatThrownBy(() -> registry.reserve(acme.user("a")))
        .isInstanceOfSatisfying(
            LimitExceededException.class,
            e -> assertThat(e.limit()).isEqualTo(Limit.CONNECTIONS_PER_USER))
        .hasMessageContaining("user a of tenant acme")
        .hasMessageContaining("the tenant's own");
    Registry.Reservation third = registry.reserve(acme.user("b"));
    assertThatThrownBy(() -> registry.reserve(acme.user("c")))
        .isInstanceOfSatisfying(
            LimitExceededException.class,
            e -> assertThat(e.limit()).isEqualTo(Limit.TENANT_CONNECTIONS))
        .hasMessageContaining("tenant acme already has 3 connections");
    registry.reserve("a");
    assertThatThrownBy(() -> registry.reserve("a"))
        .hasMessageContaining("max_connections_per_user 1");
    third.close();
    registry.reserve(acme.user("c"));
  }

  @Test
  void countsAreOfOneTenant() {
    FakeDevice mine = new FakeDevice("d1", acme.user("a"));
    registry.reserve(acme.user("a")).activate(mine);
    registry.subscribe(mine, java.util.List.of(acme.channel("orders")));
    FakeDevice other = new FakeDevice("d2", "a");
    registry.reserve("a").activate(other);

    assertThat(registry.counts(acme)).isEqualTo(new Presence.Counts(1, 1, 1, 0, 1));
    assertThat(registry.counts(Tenant.DEFAULT)).isEqualTo(new Presence.Counts(1, 1, 0, 0, 0));
    assertThat(registry.tenants()).containsExactly("acme", "default");
    assertThat(Presence.inMemory(registry).in(Tenant.DEFAULT).channels()).isEmpty();
    assertThat(Presence.inMemory(registry).in(acme).channels()).containsOnlyKeys("orders");
  }
}
