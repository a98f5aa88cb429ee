package dev.switchboard.server;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * Writes each log event as one line of JSON, for {@code logging.format = json}:
 *
 * <pre>{@code
 * {"timestamp":"2026-12-08T09:14:03.215Z","level":"INFO","logger":"dev.switchboard.server.Sessions",
 *  "thread":"vert.x-eventloop-thread-1","message":"...","user_id":"alice","connection_id":"c7",
 *  "tenant_id":"default"}
 * }</pre>
 *
 * <p>{@code timestamp} (ISO-8601, UTC, milliseconds), {@code level}, {@code logger}, {@code
 * thread}, {@code message} (formatted); then the event's key-value pairs ({@code
 * log.atInfo().addKeyValue("user_id", id)}) and then its MDC entries, each a field of its own
 * (strings, numbers and booleans as given, anything else as its {@code toString}); then {@code
 * exception} ({@code class}, {@code message}, {@code stack}) when there is one. A pair or MDC entry
 * named like a field already written is left out, so no line holds a name twice.
 *
 * <p>Thread-safe and without state: Logback may encode on many threads at once.
 */
final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {

  private static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final Set<String> FIXED =
      Set.of("timestamp", "level", "logger", "thread", "message", "exception");

  @Override
  public byte[] headerBytes() {
    return null; // Logback's contract: null when there is no header
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(line, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField(
          "timestamp", TIMESTAMP.format(Instant.ofEpochMilli(event.getTimeStamp())));
      json.writeStringField("level", event.getLevel().toString());
      json.writeStringField("logger", event.getLoggerName());
      json.writeStringField("thread", event.getThreadName());
      json.writeStringField("message", event.getFormattedMessage());
      for (Map.Entry<String, Object> field : fields(event).entrySet()) {
        json.writeFieldName(field.getKey());
        value(json, field.getValue());
      }
      if (event.getThrowableProxy() != null) {
        exception(json, event.getThrowableProxy());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a log line as JSON", e); // not to memory
    }
    line.write('\n');
    return line.toByteArray();
  }

  /** The key-value pairs, then the MDC entries, each name once and none of the fixed ones. */
  private static Map<String, Object> fields(ILoggingEvent event) {
    Map<String, Object> fields = new LinkedHashMap<>();
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair pair : event.getKeyValuePairs()) {
        if (pair.key != null && !FIXED.contains(pair.key)) {
          fields.putIfAbsent(pair.key, pair.value);
        }
      }
    }
    event
        .getMDCPropertyMap()
        .forEach(
            (key, value) -> {
              if (!FIXED.contains(key)) {
                fields.putIfAbsent(key, value);
              }
            });
    return fields;
  }

  private static void value(JsonGenerator json, Object value) throws IOException {
    switch (value) {
      case null -> json.writeNull();
      case Boolean b -> json.writeBoolean(b);
      case Integer i -> json.writeNumber(i);
      case Long l -> json.writeNumber(l);
      case Short s -> json.writeNumber(s);
      case Byte b -> json.writeNumber(b);
      case BigInteger i -> json.writeNumber(i);
      case BigDecimal d -> json.writeNumber(d);
      case Double d when Double.isFinite(d) -> json.writeNumber(d);
      case Float f when Float.isFinite(f) -> json.writeNumber(f);
      default -> json.writeString(String.valueOf(value)); // NaN and Infinity are not JSON
    }
  }

  private static void exception(JsonGenerator json, IThrowableProxy thrown) throws IOException {
    json.writeObjectFieldStart("exception");
    json.writeStringField("class", thrown.getClassName());
    json.writeStringField("message", thrown.getMessage());
    json.writeStringField("stack", ThrowableProxyUtil.asString(thrown));
    json.writeEndObject();
  }
}
