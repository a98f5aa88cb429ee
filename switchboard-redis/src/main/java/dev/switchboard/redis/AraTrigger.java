package dev.switchboard.redis;

import dev.switchboard.gateway.Notification;
import dev.switchboard.gateway.Target;
import dev.switchboard.gateway.Tenant;
import java.time.Instant;
import java.util.Objects;

/**
 * One notification an Ara backend asked for by publishing on a Redis channel: the target, already
 * scoped to its tenant's keys (as {@link Tenant#scope} makes them), and the notification.
 *
 * <p>The message, in JSON:
 *
 * <pre>{@code
 * {"type": "user", "target": "user-id",
 *  "event": {"event_type": "chat.message", "payload": {"any": "json"},
 *            "priority": "Normal", "ttl": 3600, "correlation_id": "optional"},
 *  "tenant_id": "optional-tenant"}
 * }</pre>
 *
 * <ul>
 *   <li>{@code type}: {@code user}, {@code users}, {@code broadcast}, {@code channel} or {@code
 *       channels}; required.
 *   <li>{@code target}: a user id (user) or channel name (channel); a non-empty array of them
 *       (users, channels); absent or null for broadcast. Checked as the HTTP API checks them
 *       ({@link dev.switchboard.gateway.Names}, {@link Tenant#user}, {@link Tenant#channel}).
 *   <li>{@code event.event_type} (1-128 characters) and {@code event.payload} (any JSON value,
 *       nested at most {@link Notification#MAX_PAYLOAD_DEPTH} deep): required.
 *   <li>{@code event.priority}: {@code Low}, {@code Normal}, {@code High} or {@code Critical} (any
 *       letter case); {@code Normal} when absent or null.
 *   <li>{@code event.ttl}: a positive whole number of seconds; none when absent or null.
 *   <li>{@code event.correlation_id}: a string of at most 256 characters; optional.
 *   <li>{@code tenant_id}: the tenant whose names {@code target} holds; {@link Tenant#DEFAULT} when
 *       absent or null.
 * </ul>
 *
 * <p>The target comes from the message alone: the Redis channel it was published on only decides
 * which subscribers hear it, and is kept for error messages. The notification's {@link
 * dev.switchboard.gateway.Metadata#source source} is {@value #SOURCE}.
 *
 * @param tenant the tenant the trigger named, or the default one
 * @param target who the notification goes to, as keys of {@code tenant}
 * @param notification the notification, created at the time given to {@link #parse}
 */
public record AraTrigger(Tenant tenant, Target target, Notification notification) {

  /** The metadata source of every notification a trigger makes: {@value}. */
  public static final String SOURCE = "redis";

  public AraTrigger {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(notification, "notification");
  }

  /**
   * Reads one trigger. Never throws for a bad message: every problem is a {@link Parsed.Malformed}
   * naming the field and the rule it broke.
   *
   * @param channel the Redis channel the message came on, for the error message
   * @param body the message as published
   * @param now when the notification occurred
   * @throws NullPointerException if an argument is null
   */
  public static Parsed parse(String channel, byte[] body, Instant now) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(now, "now");
    return AraTriggerParser.parse(channel, body, now);
  }

  /** What {@link #parse} read: a trigger, or why the message is not one. */
  public sealed interface Parsed {

    /**
     * A well-formed trigger.
     *
     * @param trigger what to send
     */
    record Valid(AraTrigger trigger) implements Parsed {
      public Valid {
        Objects.requireNonNull(trigger, "trigger");
      }
    }

    /**
     * A message that is not a trigger.
     *
     * @param channel the Redis channel it came on
     * @param reason what is wrong: the field and the rule, with the offending value
     */
    record Malformed(String channel, String reason) implements Parsed {
      public Malformed {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(reason, "reason");
      }
    }
  }
}
