package dev.switchboard.bench;

import dev.switchboard.jsonrpc.Codec;
import dev.switchboard.jsonrpc.Id;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.jsonrpc.Request;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The one workload every system runs: {@code echo([payload])}, payload an ASCII string.
 *
 * @param payload the string echoed; the same characters the Node peer uses
 * @param requestFrame the text of the request frame Switchboard's client sends for one call, byte
 *     for byte; the raw echo client sends exactly this
 */
record Workload(String payload, String requestFrame) {

  static final String METHOD = "echo";

  /**
   * The id written into {@link #requestFrame()}. Switchboard numbers calls 1, 2, 3...; a default
   * run makes around a million, so a 7-digit id gives the raw echo the frame size of a typical
   * Switchboard call.
   */
  private static final long TYPICAL_ID = 1_000_000;

  private static final String ALPHABET =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  /**
   * @param callTimeout the client's call timeout, which Switchboard sends with every request
   *     ({@code timeout_ms})
   */
  static Workload of(int payloadBytes, Duration callTimeout) {
    if (payloadBytes < 0) {
      throw new IllegalArgumentException("payloadBytes must not be negative, got " + payloadBytes);
    }
    StringBuilder payload = new StringBuilder(payloadBytes);
    for (int i = 0; i < payloadBytes; i++) {
      payload.append(ALPHABET.charAt(i % ALPHABET.length()));
    }
    String p = payload.toString();
    Request request =
        new Request(
            Id.of(TYPICAL_ID), METHOD, Params.of(p), OptionalLong.of(callTimeout.toMillis()));
    return new Workload(p, new String(Codec.json().encode(request), StandardCharsets.UTF_8));
  }

  int requestFrameBytes() {
    return requestFrame.getBytes(StandardCharsets.UTF_8).length;
  }
}
