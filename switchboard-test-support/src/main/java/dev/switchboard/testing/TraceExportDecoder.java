package dev.switchboard.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Turns the body of an OTLP trace export into {@link ReceivedSpan}s: the HTTP body (a bare {@code
 * ExportTraceServiceRequest}, gzip-compressed or not) and the gRPC body (one length-prefixed
 * message, compressed per {@code grpc-encoding} when its flag says so). Knows nothing of sockets.
 * Stateless and thread-safe.
 */
final class TraceExportDecoder {

  /** A gRPC message prefix: one byte "compressed" flag, four bytes big-endian length. */
  static final int GRPC_PREFIX_LENGTH = 5;

  private static final String SERVICE_NAME = "service.name";
  private static final HexFormat HEX = HexFormat.of();

  private TraceExportDecoder() {}

  /** An export that cannot be decoded; its message says why. */
  static final class UndecodableExportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UndecodableExportException(String message) {
      super(message);
    }

    UndecodableExportException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Decodes an OTLP/HTTP body.
   *
   * @param contentEncoding the {@code Content-Encoding} header: empty, {@code identity} or {@code
   *     gzip}
   * @throws UndecodableExportException if the encoding is unknown or the body is not a request
   */
  static List<ReceivedSpan> decodeHttp(byte[] body, Optional<String> contentEncoding) {
    return spansOf(parse(decompress(body, contentEncoding, "Content-Encoding")));
  }

  /**
   * Decodes an OTLP/gRPC body: exactly one length-prefixed message.
   *
   * @param grpcEncoding the {@code grpc-encoding} header, which applies when the message's flag
   *     says it is compressed
   * @throws UndecodableExportException if the framing is broken, the encoding unknown, or the
   *     message not a request
   */
  static List<ReceivedSpan> decodeGrpc(byte[] body, Optional<String> grpcEncoding) {
    if (body.length < GRPC_PREFIX_LENGTH) {
      throw new UndecodableExportException(
          "a gRPC message needs a 5-byte prefix, the body has " + body.length + " bytes");
    }
    int flag = body[0];
    long length = ByteBuffer.wrap(body, 1, 4).getInt() & 0xFFFF_FFFFL;
    long actual = body.length - GRPC_PREFIX_LENGTH;
    if (length != actual) {
      throw new UndecodableExportException(
          "the gRPC prefix announces " + length + " bytes, the body carries " + actual);
    }
    byte[] message = new byte[(int) actual];
    System.arraycopy(body, GRPC_PREFIX_LENGTH, message, 0, message.length);
    return switch (flag) {
      case 0 -> spansOf(parse(message));
      case 1 ->
          spansOf(
              parse(
                  decompress(
                      message, Optional.of(grpcEncoding.orElse("missing")), "grpc-encoding")));
      default -> throw new UndecodableExportException("unknown gRPC compressed flag " + flag);
    };
  }

  /** Frames one gRPC message, uncompressed. */
  static byte[] grpcFrame(byte[] message) {
    return ByteBuffer.allocate(GRPC_PREFIX_LENGTH + message.length)
        .put((byte) 0)
        .putInt(message.length)
        .put(message)
        .array();
  }

  private static byte[] decompress(byte[] body, Optional<String> encoding, String header) {
    String name = encoding.orElse("identity").trim().toLowerCase(Locale.ROOT);
    return switch (name) {
      case "identity", "" -> body;
      case "gzip" -> gunzip(body);
      default -> throw new UndecodableExportException("unsupported " + header + ": " + name);
    };
  }

  private static byte[] gunzip(byte[] body) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UndecodableExportException("the body is not valid gzip: " + e.getMessage(), e);
    }
  }

  private static ExportTraceServiceRequest parse(byte[] message) {
    try {
      return ExportTraceServiceRequest.parseFrom(message);
    } catch (InvalidProtocolBufferException e) {
      throw new UndecodableExportException(
          "not an ExportTraceServiceRequest: " + e.getMessage(), e);
    }
  }

  static List<ReceivedSpan> spansOf(ExportTraceServiceRequest request) {
    List<ReceivedSpan> spans = new ArrayList<>();
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      String serviceName = serviceName(resourceSpans.getResource());
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        String scopeName = scopeSpans.getScope().getName();
        for (Span span : scopeSpans.getSpansList()) {
          spans.add(spanOf(span, serviceName, scopeName));
        }
      }
    }
    return List.copyOf(spans);
  }

  private static ReceivedSpan spanOf(Span span, String serviceName, String scopeName) {
    return new ReceivedSpan(
        hex(span.getTraceId()),
        hex(span.getSpanId()),
        span.getParentSpanId().isEmpty()
            ? Optional.empty()
            : Optional.of(hex(span.getParentSpanId())),
        span.getName(),
        kindOf(span.getKind()),
        attributesOf(span.getAttributesList()),
        statusOf(span.getStatus().getCode()),
        span.getStatus().getMessage(),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        serviceName,
        scopeName);
  }

  private static String serviceName(Resource resource) {
    for (KeyValue attribute : resource.getAttributesList()) {
      if (attribute.getKey().equals(SERVICE_NAME)) {
        return attribute.getValue().getStringValue();
      }
    }
    return "";
  }

  private static ReceivedSpan.Kind kindOf(Span.SpanKind kind) {
    return switch (kind) {
      case SPAN_KIND_INTERNAL -> ReceivedSpan.Kind.INTERNAL;
      case SPAN_KIND_SERVER -> ReceivedSpan.Kind.SERVER;
      case SPAN_KIND_CLIENT -> ReceivedSpan.Kind.CLIENT;
      case SPAN_KIND_PRODUCER -> ReceivedSpan.Kind.PRODUCER;
      case SPAN_KIND_CONSUMER -> ReceivedSpan.Kind.CONSUMER;
      case SPAN_KIND_UNSPECIFIED, UNRECOGNIZED -> ReceivedSpan.Kind.UNSPECIFIED;
    };
  }

  private static ReceivedSpan.StatusCode statusOf(
      io.opentelemetry.proto.trace.v1.Status.StatusCode code) {
    return switch (code) {
      case STATUS_CODE_OK -> ReceivedSpan.StatusCode.OK;
      case STATUS_CODE_ERROR -> ReceivedSpan.StatusCode.ERROR;
      case STATUS_CODE_UNSET, UNRECOGNIZED -> ReceivedSpan.StatusCode.UNSET;
    };
  }

  private static Map<String, Object> attributesOf(List<KeyValue> attributes) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (KeyValue attribute : attributes) {
      valueOf(attribute.getValue()).ifPresent(value -> values.put(attribute.getKey(), value));
    }
    return Collections.unmodifiableMap(values);
  }

  private static Optional<Object> valueOf(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> Optional.of(value.getStringValue());
      case BOOL_VALUE -> Optional.of(value.getBoolValue());
      case INT_VALUE -> Optional.of(value.getIntValue());
      case DOUBLE_VALUE -> Optional.of(value.getDoubleValue());
      case ARRAY_VALUE ->
          Optional.of(
              value.getArrayValue().getValuesList().stream()
                  .flatMap(element -> valueOf(element).stream())
                  .toList());
      case KVLIST_VALUE -> Optional.of(attributesOf(value.getKvlistValue().getValuesList()));
      case BYTES_VALUE -> Optional.of(value.getBytesValue().asReadOnlyByteBuffer());
      // An index into a profile's string table: meaningless in a trace export.
      case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> Optional.empty();
    };
  }

  private static String hex(ByteString id) {
    return HEX.formatHex(id.toByteArray());
  }
}
