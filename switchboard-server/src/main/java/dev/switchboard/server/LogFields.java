package dev.switchboard.server;

import dev.switchboard.gateway.Device;
import dev.switchboard.gateway.Tenant;
import org.slf4j.spi.LoggingEventBuilder;
import org.slf4j.spi.NOPLoggingEventBuilder;

/**
 * The fields log lines carry besides their message (docs/observability.md): key-value pairs of
 * SLF4J's fluent API, top-level fields in JSON and {@code key="value"} after the message in text.
 * Ids only: never a token, a key or a payload.
 */
final class LogFields {

  static final String USER_ID = "user_id";
  static final String CONNECTION_ID = "connection_id";
  static final String TENANT_ID = "tenant_id";
  static final String NOTIFICATION_ID = "notification_id";

  private LogFields() {}

  /**
   * {@code line} with the connection id of {@code device}, its user's id and its tenant's id (the
   * default tenant's is {@code default}); nothing is worked out when the line's level is off.
   */
  static LoggingEventBuilder device(Device device, LoggingEventBuilder line) {
    if (line instanceof NOPLoggingEventBuilder) {
      return line;
    }
    String key = device.userId();
    return line.addKeyValue(CONNECTION_ID, device.id())
        .addKeyValue(USER_ID, Tenant.userName(key))
        .addKeyValue(TENANT_ID, Tenant.ofUser(key).id());
  }
}
