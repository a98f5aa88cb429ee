package dev.switchboard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.switchboard.testing.ReceivedSpan.Kind;
import dev.switchboard.testing.ReceivedSpan.StatusCode;
import dev.switchboard.testing.TraceExportDecoder.UndecodableExportException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The OTLP trace export decoding on its own: bytes in, spans out, no socket. */
class TraceExportDecoderTest {

  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String ROOT_ID = "b7ad6b7169203331";
  private static final String CHILD_ID = "00f067aa0ba902b7";

  private static final ExportTraceServiceRequest EXPORT =
      ExportTraceServiceRequest.newBuilder()
          .addResourceSpans(
              ResourceSpans.newBuilder()
                  .setResource(
                      Resource.newBuilder().addAttributes(string("service.name", "switchboard")))
                  .addScopeSpans(
                      ScopeSpans.newBuilder()
                          .setScope(InstrumentationScope.newBuilder().setName("dev.switchboard"))
                          .addSpans(
                              span(ROOT_ID, "", "POST /rpc", Span.SpanKind.SPAN_KIND_SERVER)
                                  .addAttributes(string("rpc.method", "publish"))
                                  .addAttributes(
                                      value("attempt", AnyValue.newBuilder().setIntValue(2)))
                                  .setStatus(
                                      Status.newBuilder()
                                          .setCode(Status.StatusCode.STATUS_CODE_OK)))
                          .addSpans(
                              span(
                                      CHILD_ID,
                                      ROOT_ID,
                                      "redis PUBLISH",
                                      Span.SpanKind.SPAN_KIND_CLIENT)
                                  .setStatus(
                                      Status.newBuilder()
                                          .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                                          .setMessage("timeout")))))
          .build();

  @Test
  void anHttpBodyIsTheBareRequest() {
    List<ReceivedSpan> spans =
        TraceExportDecoder.decodeHttp(EXPORT.toByteArray(), Optional.empty());

    assertThat(spans)
        .containsExactly(
            new ReceivedSpan(
                TRACE_ID,
                ROOT_ID,
                Optional.empty(),
                "POST /rpc",
                Kind.SERVER,
                Map.of("rpc.method", "publish", "attempt", 2L),
                StatusCode.OK,
                "",
                1_000L,
                2_000L,
                "switchboard",
                "dev.switchboard"),
            new ReceivedSpan(
                TRACE_ID,
                CHILD_ID,
                Optional.of(ROOT_ID),
                "redis PUBLISH",
                Kind.CLIENT,
                Map.of(),
                StatusCode.ERROR,
                "timeout",
                1_000L,
                2_000L,
                "switchboard",
                "dev.switchboard"));
  }

  @Test
  void aGzippedHttpBodyIsInflated() {
    assertThat(TraceExportDecoder.decodeHttp(gzip(EXPORT.toByteArray()), Optional.of("gzip")))
        .isEqualTo(TraceExportDecoder.spansOf(EXPORT));
  }

  @Test
  void aGrpcBodyIsOneLengthPrefixedMessage() {
    byte[] framed = TraceExportDecoder.grpcFrame(EXPORT.toByteArray());

    assertThat(framed[0]).isZero();
    assertThat(ByteBuffer.wrap(framed, 1, 4).getInt()).isEqualTo(EXPORT.getSerializedSize());
    assertThat(TraceExportDecoder.decodeGrpc(framed, Optional.empty()))
        .isEqualTo(TraceExportDecoder.spansOf(EXPORT));
  }

  @Test
  void aCompressedGrpcMessageIsInflatedPerItsGrpcEncoding() {
    byte[] compressed = gzip(EXPORT.toByteArray());
    byte[] framed = TraceExportDecoder.grpcFrame(compressed);
    framed[0] = 1;

    assertThat(TraceExportDecoder.decodeGrpc(framed, Optional.of("gzip")))
        .isEqualTo(TraceExportDecoder.spansOf(EXPORT));
    assertThatThrownBy(() -> TraceExportDecoder.decodeGrpc(framed, Optional.of("snappy")))
        .isInstanceOf(UndecodableExportException.class)
        .hasMessage("unsupported grpc-encoding: snappy");
  }

  @Test
  void anUncompressedGrpcMessageIgnoresTheGrpcEncodingHeader() {
    byte[] framed = TraceExportDecoder.grpcFrame(EXPORT.toByteArray());

    assertThat(TraceExportDecoder.decodeGrpc(framed, Optional.of("gzip"))).hasSize(2);
  }

  @Test
  void aGrpcBodyWhoseLengthDisagreesWithItsPrefixIsRejected() {
    byte[] framed = TraceExportDecoder.grpcFrame(EXPORT.toByteArray());
    byte[] truncated = java.util.Arrays.copyOf(framed, framed.length - 1);

    assertThatThrownBy(() -> TraceExportDecoder.decodeGrpc(truncated, Optional.empty()))
        .isInstanceOf(UndecodableExportException.class)
        .hasMessageContaining("announces " + EXPORT.getSerializedSize() + " bytes");
    assertThatThrownBy(() -> TraceExportDecoder.decodeGrpc(new byte[3], Optional.empty()))
        .isInstanceOf(UndecodableExportException.class)
        .hasMessageContaining("5-byte prefix");
  }

  @Test
  void bytesThatAreNotARequestAreRejected() {
    byte[] garbage = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

    assertThatThrownBy(() -> TraceExportDecoder.decodeHttp(garbage, Optional.empty()))
        .isInstanceOf(UndecodableExportException.class)
        .hasMessageStartingWith("not an ExportTraceServiceRequest");
    assertThatThrownBy(() -> TraceExportDecoder.decodeHttp(garbage, Optional.of("gzip")))
        .isInstanceOf(UndecodableExportException.class)
        .hasMessageStartingWith("the body is not valid gzip");
    assertThatThrownBy(() -> TraceExportDecoder.decodeHttp(garbage, Optional.of("br")))
        .isInstanceOf(UndecodableExportException.class)
        .hasMessage("unsupported Content-Encoding: br");
  }

  @Test
  void everyAttributeTypeBecomesAPlainJavaValue() {
    Span span =
        span(ROOT_ID, "", "typed", Span.SpanKind.SPAN_KIND_INTERNAL)
            .addAttributes(value("double", AnyValue.newBuilder().setDoubleValue(1.5)))
            .addAttributes(value("bool", AnyValue.newBuilder().setBoolValue(true)))
            .addAttributes(
                value(
                    "array",
                    AnyValue.newBuilder()
                        .setArrayValue(
                            ArrayValue.newBuilder()
                                .addValues(AnyValue.newBuilder().setIntValue(1))
                                .addValues(AnyValue.newBuilder().setIntValue(2)))))
            .addAttributes(
                value(
                    "map",
                    AnyValue.newBuilder()
                        .setKvlistValue(KeyValueList.newBuilder().addValues(string("k", "v")))))
            .addAttributes(
                value(
                    "bytes",
                    AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {1, 2}))))
            .addAttributes(KeyValue.newBuilder().setKey("empty"))
            .build();

    ReceivedSpan received = TraceExportDecoder.spansOf(export(span)).getFirst();

    assertThat(received.kind()).isEqualTo(Kind.INTERNAL);
    assertThat(received.serviceName()).isEmpty();
    assertThat(received.attributes())
        .containsExactly(
            Map.entry("double", 1.5),
            Map.entry("bool", true),
            Map.entry("array", List.of(1L, 2L)),
            Map.entry("map", Map.of("k", "v")),
            Map.entry("bytes", ByteBuffer.wrap(new byte[] {1, 2})));
    assertThat(received.attribute("empty")).isEmpty();
  }

  private static ExportTraceServiceRequest export(Span span) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
        .build();
  }

  private static Span.Builder span(String id, String parent, String name, Span.SpanKind kind) {
    HexFormat hex = HexFormat.of();
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(hex.parseHex(TRACE_ID)))
        .setSpanId(ByteString.copyFrom(hex.parseHex(id)))
        .setParentSpanId(ByteString.copyFrom(hex.parseHex(parent)))
        .setName(name)
        .setKind(kind)
        .setStartTimeUnixNano(1_000L)
        .setEndTimeUnixNano(2_000L);
  }

  private static KeyValue string(String key, String value) {
    return value(key, AnyValue.newBuilder().setStringValue(value));
  }

  private static KeyValue value(String key, AnyValue.Builder value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
