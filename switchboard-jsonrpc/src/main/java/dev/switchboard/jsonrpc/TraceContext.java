package dev.switchboard.jsonrpc;

import java.util.Objects;
import java.util.Optional;

/**
 * A W3C Trace Context (https://www.w3.org/TR/trace-context/) carried by a request or notification
 * in our extension members {@code "traceparent"} and {@code "tracestate"}, next to {@code
 * "timeout_ms"}. The values are the HTTP header values, unchanged.
 *
 * <p>A traceparent is {@code version-traceid-parentid-flags} in lower-case hex: version 2 digits
 * (not {@code ff}), trace id 32 digits not all zero, parent (span) id 16 digits not all zero, flags
 * 2 digits; version {@code 00} is exactly 55 characters, a later version may append {@code
 * -}-separated fields. A tracestate is opaque here: only its length is bounded ({@link
 * #MAX_TRACESTATE_CHARS}), its members are for the tracing library to parse.
 *
 * @param traceparent always well-formed: the constructor refuses anything else
 * @param tracestate vendor data; never an empty string
 */
public record TraceContext(String traceparent, Optional<String> tracestate) {

  /** The longest tracestate kept; W3C requires accepting 512 characters. */
  public static final int MAX_TRACESTATE_CHARS = 512;

  /** The longest traceparent kept: room for a later version's extra fields, but bounded. */
  static final int MAX_TRACEPARENT_CHARS = 512;

  private static final int VERSION_00_LENGTH = 55;

  public TraceContext {
    Objects.requireNonNull(traceparent, "traceparent");
    Objects.requireNonNull(tracestate, "tracestate");
    if (!isValidTraceparent(traceparent)) {
      throw new IllegalArgumentException(
          "not a W3C traceparent (version-traceid-parentid-flags in lower-case hex): "
              + abbreviate(traceparent));
    }
    if (tracestate.isPresent() && !isValidTracestate(tracestate.get())) {
      throw new IllegalArgumentException(
          "tracestate must be 1 to "
              + MAX_TRACESTATE_CHARS
              + " characters, got "
              + tracestate.get().length());
    }
  }

  /** A trace context without vendor data. */
  public static TraceContext of(String traceparent) {
    return new TraceContext(traceparent, Optional.empty());
  }

  /**
   * The trace context of received values, the way W3C says to treat them: empty when the
   * traceparent is invalid (the trace restarts; it is never an error), and the tracestate dropped
   * alone when it is empty or too long.
   */
  public static Optional<TraceContext> parse(String traceparent, Optional<String> tracestate) {
    Objects.requireNonNull(tracestate, "tracestate");
    if (traceparent == null || !isValidTraceparent(traceparent)) {
      return Optional.empty();
    }
    return Optional.of(
        new TraceContext(traceparent, tracestate.filter(TraceContext::isValidTracestate)));
  }

  /** The 32 hex digits of the trace id. */
  public String traceId() {
    return traceparent.substring(3, 35);
  }

  /** The 16 hex digits of the caller's span id (W3C's parent-id). */
  public String parentId() {
    return traceparent.substring(36, 52);
  }

  /** Whether the caller sampled the trace (flag bit 0). */
  public boolean sampled() {
    return (Character.digit(traceparent.charAt(54), 16) & 1) == 1;
  }

  static boolean isValidTraceparent(String value) {
    int length = value.length();
    if (length < VERSION_00_LENGTH || length > MAX_TRACEPARENT_CHARS) {
      return false;
    }
    if (!isHex(value, 0, 2) || value.startsWith("ff")) {
      return false;
    }
    boolean version00 = value.startsWith("00");
    if (version00
        ? length != VERSION_00_LENGTH
        : length > VERSION_00_LENGTH && value.charAt(55) != '-') {
      return false;
    }
    return value.charAt(2) == '-'
        && isHex(value, 3, 35)
        && !isZero(value, 3, 35)
        && value.charAt(35) == '-'
        && isHex(value, 36, 52)
        && !isZero(value, 36, 52)
        && value.charAt(52) == '-'
        && isHex(value, 53, 55);
  }

  private static boolean isValidTracestate(String value) {
    return !value.isEmpty() && value.length() <= MAX_TRACESTATE_CHARS;
  }

  private static boolean isHex(String value, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isZero(String value, int from, int to) {
    for (int i = from; i < to; i++) {
      if (value.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }

  private static String abbreviate(String value) {
    return value.length() <= 80 ? '"' + value + '"' : '"' + value.substring(0, 77) + "...\"";
  }
}
