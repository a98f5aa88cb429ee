package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class DeviceTokensTest {

  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final DeviceTokens TOKENS =
      new DeviceTokens(
          SECRET,
          Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC),
          Duration.ofHours(1));

  @Test
  void isAnHs256JwtWithSubjectIssuedAtAndExpiry() throws Exception {
    String[] parts = TOKENS.token("u42").split("\\.");

    assertThat(parts).hasSize(3);
    assertThat(decode(parts[0]))
        .isEqualTo(new ObjectMapper().readTree("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"));
    JsonNode claims = decode(parts[1]);
    assertThat(claims.get("sub").asText()).isEqualTo("u42");
    assertThat(claims.get("iat").asLong()).isEqualTo(1_700_000_000L);
    assertThat(claims.get("exp").asLong()).isEqualTo(1_700_003_600L);
  }

  @Test
  void itsSignatureIsTheHmacOfHeaderAndClaims() throws Exception {
    String token = TOKENS.token("u1");
    String signed = token.substring(0, token.lastIndexOf('.'));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));

    String expected =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));

    assertThat(token.substring(token.lastIndexOf('.') + 1)).isEqualTo(expected);
  }

  @Test
  void refusesUserIdsThatWouldNeedEscaping() {
    assertThatThrownBy(() -> TOKENS.token("u\"1")).isInstanceOf(IllegalArgumentException.class);
  }

  private static JsonNode decode(String part) throws Exception {
    return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(part));
  }
}
