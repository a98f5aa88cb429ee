package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

class ApiKeyTest {

  private static final String KEY = "sb_live_4f9a2c7e1d3b8a60";
  private final ApiKey apiKey = ApiKey.of(KEY);

  @Test
  void theConfiguredKeyMatches() {
    assertThat(apiKey.matches(KEY)).isTrue();
  }

  @Test
  void anyOtherKeyDoesNotMatch() {
    assertThat(apiKey.matches("sb_live_4f9a2c7e1d3b8a61")).isFalse();
    assertThat(apiKey.matches(KEY.toUpperCase(java.util.Locale.ROOT))).isFalse();
  }

  @Test
  void keysOfOtherLengthsDoNotMatch() {
    assertThat(apiKey.matches("")).isFalse();
    assertThat(apiKey.matches(KEY.substring(0, KEY.length() - 1))).isFalse();
    assertThat(apiKey.matches(KEY + "0")).isFalse();
    assertThat(apiKey.matches(KEY + KEY)).isFalse();
  }

  @Test
  void absentPresentedKeyIsTheCallersMistake() {
    assertThatNullPointerException()
        .isThrownBy(() -> apiKey.matches(null))
        .withMessage("presented");
  }

  @Test
  void toStringNeverShowsTheKey() {
    assertThat(apiKey.toString())
        .doesNotContain(KEY)
        .doesNotContain("4f9a")
        .isEqualTo("ApiKey[redacted]");
  }

  @Test
  void blankKeyIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ApiKey.of("   "))
        .withMessage("api_key must not be blank");
  }

  @Test
  void shortKeyIsRefusedWithItsLengthAndTheMinimum() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ApiKey.of("short-key"))
        .withMessage("api_key is 9 characters; at least 16 are required")
        .withMessageNotContaining("short-key");
  }

  @Test
  void keyWithSurroundingWhitespaceIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ApiKey.of(KEY + "\n"))
        .withMessage("api_key must not have leading or trailing whitespace");
  }

  @Test
  void keyOfExactlyTheMinimumLengthIsAccepted() {
    assertThat(ApiKey.of("a".repeat(ApiKey.MIN_LENGTH)).matches("a".repeat(ApiKey.MIN_LENGTH)))
        .isTrue();
  }
}
