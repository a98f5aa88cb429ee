package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gateway.RegistryLimits;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.gateway.TenantLimits;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant's own limits override the server's for it: acme may have 2 devices together, globex's
 * users 3 devices each where the server allows 1.
 */
class PushTenantLimitsTest {

  private PushFixture push;

  @BeforeEach
  void start() {
    push =
        PushFixture.start(
            PushFixture.production()
                .registryLimits(new RegistryLimits(100, 1, 50))
                .tenantLimits(
                    new Tenant("acme"),
                    TenantLimits.NONE.withMaxConnections(2).withMaxConnectionsPerUser(2))
                .tenantLimits(
                    new Tenant("globex"), TenantLimits.NONE.withMaxConnectionsPerUser(3)));
  }

  @AfterEach
  void close() {
    push.close();
  }

  private int refusal(String tenant, String user) {
    return push.refusal("token=" + PushTokens.valid(user, tenant), Map.of());
  }

  @Test
  void aTenantAtItsOwnCapIsRefusedWhileOthersStillConnect() {
    push.tenantDevice("acme", "alice");
    push.tenantDevice("acme", "bob");

    assertThat(refusal("acme", "carol")).isEqualTo(429);
    push.tenantDevice("globex", "carol");
    push.device("carol");
  }

  @Test
  void aPlaceLeftByATenantsDeviceIsFreeAgain() {
    push.tenantDevice("acme", "alice");
    PushDevice bob = push.tenantDevice("acme", "bob");
    bob.close();
    push.awaitConnections(1);
    push.tenantDevice("acme", "carol");
  }

  @Test
  void aTenantsOwnPerUserLimitReplacesTheServers() {
    push.tenantDevice("globex", "alice");
    push.tenantDevice("globex", "alice");
    push.tenantDevice("globex", "alice");
    assertThat(refusal("globex", "alice")).isEqualTo(429);

    push.device("alice");
    assertThat(push.refusal("token=" + PushTokens.valid("alice"), Map.of())).isEqualTo(429);
  }
}
