package dev.switchboard.testing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One span as an {@link OtlpReceiver} decoded it from an OTLP trace export.
 *
 * <p>Ids are lower-case hex (32 digits for a trace, 16 for a span). Attribute values are {@code
 * String}, {@code Long}, {@code Double}, {@code Boolean}, an unmodifiable {@code List} of those, an
 * unmodifiable {@code Map<String, Object>} for a key-value list, or a read-only {@code ByteBuffer}
 * for bytes; an attribute sent without a value is absent. Every map and list is unmodifiable.
 *
 * @param traceId the trace id
 * @param spanId the span id
 * @param parentSpanId the parent's span id; empty for a root span
 * @param name the span's name
 * @param kind the span's kind
 * @param attributes the span's attributes, in the order they were sent
 * @param status the span's status code
 * @param statusMessage the status description; empty when none was sent
 * @param startEpochNanos when the span started, in nanoseconds since the epoch
 * @param endEpochNanos when the span ended, in nanoseconds since the epoch
 * @param serviceName the {@code service.name} of the resource that sent the span; empty if none
 * @param scopeName the name of the instrumentation scope (the tracer) that made the span
 */
public record ReceivedSpan(
    String traceId,
    String spanId,
    Optional<String> parentSpanId,
    String name,
    Kind kind,
    Map<String, Object> attributes,
    StatusCode status,
    String statusMessage,
    long startEpochNanos,
    long endEpochNanos,
    String serviceName,
    String scopeName) {

  /** A span's kind, as OTLP names it (less its {@code SPAN_KIND_} prefix). */
  public enum Kind {
    UNSPECIFIED,
    INTERNAL,
    SERVER,
    CLIENT,
    PRODUCER,
    CONSUMER
  }

  /** A span's status code, as OTLP names it (less its {@code STATUS_CODE_} prefix). */
  public enum StatusCode {
    UNSET,
    OK,
    ERROR
  }

  /** Rejects null components and copies {@code attributes} into an unmodifiable map. */
  public ReceivedSpan {
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(parentSpanId, "parentSpanId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(attributes, "attributes");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(statusMessage, "statusMessage");
    Objects.requireNonNull(serviceName, "serviceName");
    Objects.requireNonNull(scopeName, "scopeName");
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /** Whether the span has no parent. */
  public boolean isRoot() {
    return parentSpanId.isEmpty();
  }

  /** The value of one attribute; empty when the span does not carry it. */
  public Optional<Object> attribute(String key) {
    return Optional.ofNullable(attributes.get(Objects.requireNonNull(key, "key")));
  }
}
