package dev.switchboard.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The W3C trace context a request or notification may carry in {@code "traceparent"} and {@code
 * "tracestate"}: read and written by both encodings, and an invalid value is ignored as W3C says,
 * never answered with an error.
 */
class TraceContextTest {

  static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  static final String TRACESTATE = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";

  private static Entry single(Encoding encoding, String json) {
    return DecodingRulesTest.single(encoding, json);
  }

  private static String request(String members) {
    return "{\"jsonrpc\": \"2.0\", \"method\": \"sleep\", \"id\": 1" + members + "}";
  }

  // ---- reading

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void aRequestCarriesTraceparentAndTracestate(Encoding encoding) {
    Entry entry =
        single(
            encoding,
            request(
                ", \"traceparent\": \""
                    + TRACEPARENT
                    + "\", \"tracestate\": \""
                    + TRACESTATE
                    + "\""));

    assertThat(((Request) entry).traceContext())
        .contains(new TraceContext(TRACEPARENT, Optional.of(TRACESTATE)));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void aNotificationCarriesATraceparentAlone(Encoding encoding) {
    Entry entry =
        single(
            encoding,
            "{\"jsonrpc\": \"2.0\", \"method\": \"update\", \"traceparent\": \""
                + TRACEPARENT
                + "\"}");

    assertThat(entry)
        .isEqualTo(
            new Notification("update", Params.none(), Optional.of(TraceContext.of(TRACEPARENT))));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void withoutTheMembersThereIsNoTraceContext(Encoding encoding) {
    assertThat(((Request) single(encoding, request(""))).traceContext()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01\"", // upper case
        "\"00-00000000000000000000000000000000-00f067aa0ba902b7-01\"", // trace id all zero
        "\"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01\"", // span id all zero
        "\"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\"", // forbidden version
        "\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra\"", // 00 is 55 chars
        "\"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x\"", // later version, no dash
        "\"00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01\"", // short trace id
        "\"00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01\"", // wrong separators
        "\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g\"", // not hex
        "\"\"",
        "42",
        "null",
        "true",
        "[\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\"]",
        "{}"
      })
  void anInvalidTraceparentIsIgnoredNotAnError(String traceparentJson) {
    for (Encoding encoding : Encoding.values()) {
      Entry entry =
          single(
              encoding,
              request(
                  ", \"traceparent\": "
                      + traceparentJson
                      + ", \"tracestate\": \""
                      + TRACESTATE
                      + "\", \"timeout_ms\": 50"));

      assertThat(entry).as("with %s", encoding).isInstanceOf(Request.class);
      assertThat(((Request) entry).traceContext()).as("with %s", encoding).isEmpty();
      assertThat(((Request) entry).timeoutMillis()).isEqualTo(OptionalLong.of(50));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"42", "null", "\"\"", "[\"a=b\"]"})
  void anInvalidTracestateIsDroppedAloneKeepingTheTraceparent(String tracestateJson) {
    for (Encoding encoding : Encoding.values()) {
      Entry entry =
          single(
              encoding,
              request(
                  ", \"traceparent\": \"" + TRACEPARENT + "\", \"tracestate\": " + tracestateJson));

      assertThat(((Request) entry).traceContext())
          .as("with %s", encoding)
          .contains(TraceContext.of(TRACEPARENT));
    }
  }

  @Test
  void aTracestateOverTheLimitIsDropped() {
    String tooLong = "a=" + "x".repeat(TraceContext.MAX_TRACESTATE_CHARS);

    assertThat(TraceContext.parse(TRACEPARENT, Optional.of(tooLong)))
        .contains(TraceContext.of(TRACEPARENT));
  }

  @Test
  void aLaterVersionMayAppendFields() {
    String v1 = "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes-next";

    assertThat(TraceContext.parse(v1, Optional.empty())).contains(TraceContext.of(v1));
  }

  @Test
  void theTraceparentsFieldsCanBeRead() {
    TraceContext sampled = TraceContext.of(TRACEPARENT);
    TraceContext notSampled =
        TraceContext.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");

    assertThat(sampled.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(sampled.parentId()).isEqualTo("00f067aa0ba902b7");
    assertThat(sampled.sampled()).isTrue();
    assertThat(notSampled.sampled()).isFalse();
  }

  @Test
  void constructingAnInvalidTraceContextFailsNamingTheValue() {
    assertThatThrownBy(() -> TraceContext.of("00-abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"00-abc\"");
    assertThatThrownBy(() -> new TraceContext(TRACEPARENT, Optional.of("")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tracestate");
    assertThatThrownBy(() -> new TraceContext(null, Optional.empty())).hasMessage("traceparent");
  }

  // ---- writing

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void theMembersAreWrittenOnlyWhenPresent(Encoding encoding) {
    Codec codec = Codec.of(encoding);
    JsonNode traced =
        CodecRoundTripTest.plainTree(
            codec,
            codec.encode(
                new Notification(
                    "update",
                    Params.none(),
                    Optional.of(new TraceContext(TRACEPARENT, Optional.of(TRACESTATE))))));
    JsonNode withoutState =
        CodecRoundTripTest.plainTree(
            codec,
            codec.encode(
                new Request(
                    Id.of(1),
                    "sleep",
                    Params.none(),
                    OptionalLong.empty(),
                    Optional.of(TraceContext.of(TRACEPARENT)))));
    JsonNode plain =
        CodecRoundTripTest.plainTree(
            codec, codec.encode(new Notification("update", Params.none())));

    assertThat(traced.get("traceparent").textValue()).isEqualTo(TRACEPARENT);
    assertThat(traced.get("tracestate").textValue()).isEqualTo(TRACESTATE);
    assertThat(withoutState.get("traceparent").textValue()).isEqualTo(TRACEPARENT);
    assertThat(withoutState.has("tracestate")).isFalse();
    assertThat(plain.has("traceparent")).isFalse();
    assertThat(plain.has("tracestate")).isFalse();
  }

  @Test
  void theMembersComeAfterTimeoutAndBeforeTheId() {
    byte[] bytes =
        Codec.json()
            .encode(
                new Request(
                    Id.of(1),
                    "sleep",
                    Params.of(5),
                    OptionalLong.of(100),
                    Optional.of(new TraceContext(TRACEPARENT, Optional.of(TRACESTATE)))));

    List<String> names = new ArrayList<>();
    CodecRoundTripTest.tree(new String(bytes, StandardCharsets.UTF_8))
        .fieldNames()
        .forEachRemaining(names::add);
    assertThat(names)
        .containsExactly(
            "jsonrpc", "method", "params", "timeout_ms", "traceparent", "tracestate", "id");
  }
}
