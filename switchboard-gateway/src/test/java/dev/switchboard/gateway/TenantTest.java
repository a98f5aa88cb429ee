package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TenantTest {

  private final Tenant acme = new Tenant("acme");

  @Test
  void theDefaultTenantsKeysAreTheNamesThemselves() {
    assertThat(Tenant.DEFAULT.user("alice")).isEqualTo("alice");
    assertThat(Tenant.DEFAULT.channel("orders")).isEqualTo("orders");
    assertThat(Tenant.ofUser("alice")).isEqualTo(Tenant.DEFAULT);
    assertThat(Tenant.ofChannel("orders")).isEqualTo(Tenant.DEFAULT);
    assertThat(Tenant.of(java.util.Optional.empty())).isEqualTo(Tenant.DEFAULT);
  }

  @Test
  void anotherTenantsKeysAreItsOwnAndGiveTheNamesBack() {
    String alice = acme.user("alice");
    String orders = acme.channel("orders");
    assertThat(alice).isNotEqualTo("alice").isNotEqualTo(new Tenant("globex").user("alice"));
    assertThat(orders).isEqualTo("acme~orders");
    assertThat(Tenant.ofUser(alice)).isEqualTo(acme);
    assertThat(Tenant.ofChannel(orders)).isEqualTo(acme);
    assertThat(Tenant.userName(alice)).isEqualTo("alice");
    assertThat(Tenant.channelName(orders)).isEqualTo("orders");
    assertThat(acme.ownsUser(alice)).isTrue();
    assertThat(Tenant.DEFAULT.ownsUser(alice)).isFalse();
    assertThat(Tenant.DEFAULT.ownsChannel(orders)).isFalse();
  }

  @Test
  void aKeyIsNeverTakenForAName() {
    assertThatThrownBy(() -> Tenant.DEFAULT.channel("acme~orders"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"acme~orders\"");
    assertThatThrownBy(() -> Tenant.DEFAULT.user(acme.user("alice")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+001F");
  }

  @Test
  void aTenantIdIs1To64LettersDigitsDashesAndUnderscores() {
    assertThat(new Tenant("a-B_9").id()).isEqualTo("a-B_9");
    for (String bad : List.of("", "a b", "a~b", "x".repeat(65))) {
      assertThatThrownBy(() -> new Tenant(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid tenant id");
    }
  }

  @Test
  void scopingATargetKeysEveryNameAndBindsABroadcastToTheTenant() {
    assertThat(acme.scope(new Target.Users(List.of("a", "b"))))
        .isEqualTo(new Target.Users(List.of(acme.user("a"), acme.user("b"))));
    assertThat(acme.scope(new Target.Channels(List.of("x"))))
        .isEqualTo(new Target.Channels(List.of("acme~x")));
    assertThat(acme.scope(new Target.Broadcast())).isEqualTo(new Target.Broadcast(acme));
    assertThat(Tenant.DEFAULT.scope(new Target.User("a"))).isEqualTo(new Target.User("a"));
  }

  @Test
  void aChannelStreamsKeyIsTheNameItsTenantKnows() {
    assertThat(new StreamId.Channel("acme~orders").key()).isEqualTo("orders");
  }
}
