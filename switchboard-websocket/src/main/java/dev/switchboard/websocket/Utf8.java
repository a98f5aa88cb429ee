package dev.switchboard.websocket;

/**
 * UTF-8 validation for text messages, which RFC 6455 requires to be valid UTF-8 (else close with
 * {@link CloseCodes#INVALID_PAYLOAD}). Checked once a message is whole, since a fragment may end
 * inside a character.
 */
public final class Utf8 {

  private Utf8() {}

  /**
   * True when {@code bytes[0..length)} is well-formed UTF-8: no overlong forms, surrogates or
   * values past U+10FFFF.
   */
  public static boolean isValid(byte[] bytes, int length) {
    int i = 0;
    while (i < length) {
      int b = bytes[i];
      if (b >= 0) { // ASCII, the common case
        i++;
        continue;
      }
      int lead = b & 0xFF;
      int extra;
      int min;
      if (lead >= 0xC2 && lead <= 0xDF) {
        extra = 1;
        min = 0x80;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        extra = 2;
        min = 0x800;
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        extra = 3;
        min = 0x10000;
      } else {
        return false;
      }
      if (i + extra >= length) { // truncated sequence
        return false;
      }
      int code = lead & (0x3F >> extra);
      for (int k = 1; k <= extra; k++) {
        int next = bytes[i + k] & 0xFF;
        if ((next & 0xC0) != 0x80) {
          return false;
        }
        code = (code << 6) | (next & 0x3F);
      }
      if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        return false;
      }
      i += extra + 1;
    }
    return true;
  }
}
