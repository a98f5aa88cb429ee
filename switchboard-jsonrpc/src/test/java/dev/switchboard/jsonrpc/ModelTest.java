package dev.switchboard.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The message model: what its factories build and what they refuse. */
class ModelTest {

  @Test
  void standardErrorCodesAreTheSpecificationsValues() {
    assertThat(ErrorObject.PARSE_ERROR).isEqualTo(-32700);
    assertThat(ErrorObject.INVALID_REQUEST).isEqualTo(-32600);
    assertThat(ErrorObject.METHOD_NOT_FOUND).isEqualTo(-32601);
    assertThat(ErrorObject.INVALID_PARAMS).isEqualTo(-32602);
    assertThat(ErrorObject.INTERNAL_ERROR).isEqualTo(-32603);
  }

  @Test
  void switchboardErrorCodesAreDistinctAndInTheImplementationDefinedServerErrorRange() {
    List<Integer> own =
        List.of(
            ErrorObject.APPLICATION_ERROR,
            ErrorObject.BUSY,
            ErrorObject.DEADLINE_EXCEEDED,
            ErrorObject.CANCELLED,
            ErrorObject.DUPLICATE_ID,
            ErrorObject.SHUTTING_DOWN);

    assertThat(own)
        .doesNotHaveDuplicates()
        .allSatisfy(code -> assertThat(code).isBetween(-32099, -32000));
  }

  @Test
  void errorObjectWithoutDataHasEmptyData() {
    assertThat(ErrorObject.of(1, "m").data()).isEmpty();
    assertThat(ErrorObject.of(1, "m", null).data()).isEmpty();
    assertThat(ErrorObject.of(1, "m", Json.nodes().textNode("d")).data())
        .contains(Json.nodes().textNode("d"));
  }

  @Test
  void javaNullResultBecomesJsonNull() {
    Response.Success success = (Response.Success) Response.success(Id.of(1), null);

    assertThat(success.result()).isEqualTo(Json.nodes().nullNode());
  }

  @Test
  void paramsFromAJsonValueFollowTheSpecification() {
    assertThat(Params.from(null)).isEqualTo(Params.none());
    assertThat(Params.from(Json.nodes().nullNode())).isEqualTo(Params.none());
    assertThat(Params.from(Json.nodes().missingNode())).isEqualTo(Params.none());
    assertThat(Params.from(Json.nodes().arrayNode().add(1))).isEqualTo(Params.of(1));
    assertThat(Params.from(Json.nodes().objectNode().put("a", 1)))
        .isEqualTo(Params.named(Map.of("a", 1)));
    assertThatThrownBy(() -> Params.from(Json.nodes().textNode("bar")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("STRING");
  }

  @Test
  void paramsNodeIsTheArrayTheObjectOrMissing() {
    assertThat(Params.none().node().isMissingNode()).isTrue();
    assertThat(Params.of(1, "two", null).node())
        .isEqualTo(CodecRoundTripTest.tree("[1, \"two\", null]"));
    assertThat(Params.named(Map.of("a", List.of(1))).node())
        .isEqualTo(CodecRoundTripTest.tree("{\"a\": [1]}"));
  }

  @Test
  void idsPrintAsTheyAreWritten() {
    assertThat(Id.of("a")).hasToString("\"a\"");
    assertThat(Id.of(-5)).hasToString("-5");
    assertThat(Id.nullId()).hasToString("null");
  }

  @Test
  void nullArgumentsAreRejectedWithTheirName() {
    assertThatThrownBy(() -> Id.of((String) null)).hasMessage("value");
    assertThatThrownBy(() -> new Request(null, "m", Params.none())).hasMessage("id");
    assertThatThrownBy(() -> new Request(Id.of(1), null, Params.none())).hasMessage("method");
    assertThatThrownBy(() -> new Notification("m", null)).hasMessage("params");
    assertThatThrownBy(() -> Response.failure(Id.of(1), null)).hasMessage("error");
    assertThatThrownBy(() -> new ErrorObject(1, null, Optional.empty())).hasMessage("message");
    assertThatThrownBy(() -> new Invalid(null, ErrorObject.of(1, "m"))).hasMessage("id");
    assertThatThrownBy(() -> new Discarded(null)).hasMessage("reason");
    assertThatThrownBy(() -> new Decoded.Unparsable(null)).hasMessage("reason");
  }
}
