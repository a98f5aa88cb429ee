package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentityTest {

  @Test
  void anonymousIdentityHasNoRolesTenantOrExpiry() {
    Identity anonymous = Identity.anonymous("dev-device-7");

    assertThat(anonymous.userId()).isEqualTo("dev-device-7");
    assertThat(anonymous.roles()).isEmpty();
    assertThat(anonymous.tenantId()).isEmpty();
    assertThat(anonymous.expiresAt()).isEmpty();
  }

  @Test
  void blankUserIdIsRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> Identity.anonymous(" "));
  }

  @Test
  void rolesAreCopiedAndUnmodifiable() {
    List<String> roles = new ArrayList<>(List.of("admin"));
    Identity identity = new Identity("u", roles, Optional.empty(), Optional.empty());
    roles.add("root");

    assertThat(identity.roles()).containsExactly("admin");
    assertThat(identity.hasRole("admin")).isTrue();
    assertThat(identity.hasRole("root")).isFalse();
    assertThatThrownBy(() -> identity.roles().add("root"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
