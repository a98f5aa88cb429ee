package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Presents a token that must be refused, and checks the refusal is fit to log. */
final class Refusals {

  private Refusals() {}

  /**
   * The reason {@code token} is refused; fails the test if it is accepted or the message leaks a
   * secret.
   */
  static AuthFailure refusalOf(TokenVerifier verifier, String token) {
    try {
      Identity identity = verifier.verify(token);
      return fail("the token was accepted as " + identity);
    } catch (AuthException e) {
      assertThat(e.getMessage())
          .doesNotContain(TestKeys.SECRET)
          .doesNotContain(TestKeys.OTHER_SECRET);
      if (token.length() > 8) {
        assertThat(e.getMessage()).doesNotContain(token);
      }
      int lastDot = token.lastIndexOf('.');
      if (lastDot >= 0 && token.length() - lastDot > 8) {
        assertThat(e.getMessage())
            .as("message shows the signature")
            .doesNotContain(token.substring(lastDot + 1));
      }
      return e.reason();
    }
  }
}
