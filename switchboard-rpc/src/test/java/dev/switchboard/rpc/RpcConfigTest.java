package dev.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RpcConfigTest {

  @Test
  void configValuesAreCheckedWithAMessageNamingThem() {
    assertThatThrownBy(() -> RpcConfig.builder().maxMessageBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxMessageBytes");
    assertThatThrownBy(() -> RpcConfig.builder().idleTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("idleTimeout");
    assertThatThrownBy(() -> RpcConfig.builder().callTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("callTimeout");
  }
}
