package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A notification stored for reuse: a sender names it by {@code id} and gives only the variables its
 * {@code payload_template} uses (see {@link #render}).
 *
 * @param id 1-64 characters of letters, digits, '_' and '-'
 * @param name what people call it, 1-256 characters
 * @param eventType the event type of every notification made from it
 * @param payloadTemplate the payload, with {@code {{variable}}} placeholders in its strings, nested
 *     at most {@link Notification#MAX_PAYLOAD_DEPTH} deep; a copy is kept and a copy returned
 * @param priority the default priority of its notifications (a send may give another)
 * @param ttlSeconds the default TTL of its notifications, positive; empty: none
 * @param description free text, at most 1024 characters
 * @param createdAt when it was created
 * @param updatedAt when it was last changed (its creation, if never)
 */
public record Template(
    String id,
    String name,
    String eventType,
    JsonNode payloadTemplate,
    Priority priority,
    OptionalLong ttlSeconds,
    Optional<String> description,
    Instant createdAt,
    Instant updatedAt) {

  /** Longest template id. */
  public static final int MAX_ID_LENGTH = 64;

  /** Longest name. */
  public static final int MAX_NAME_LENGTH = 256;

  /** Longest description. */
  public static final int MAX_DESCRIPTION_LENGTH = 1024;

  /**
   * Most characters the variables may add to a payload when it is rendered: a template may use a
   * large variable many times, and a small request must not make the server build a huge payload.
   */
  public static final long MAX_RENDERED_CHARS = 1 << 20;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_ID_LENGTH + "}");

  /**
   * @throws IllegalArgumentException naming the field (as the HTTP API spells it) and what is wrong
   */
  public Template {
    checkKey(id);
    if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "name must be 1-"
              + MAX_NAME_LENGTH
              + " characters and not blank, got "
              + Names.quote(name));
    }
    Notification.checkEventType(eventType);
    Objects.requireNonNull(payloadTemplate, "payload_template");
    try {
      Notification.checkPayload(payloadTemplate);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().replace("payload", "payload_template"));
    }
    payloadTemplate = payloadTemplate.deepCopy();
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(ttlSeconds, "ttlSeconds");
    if (ttlSeconds.isPresent() && ttlSeconds.getAsLong() <= 0) {
      throw new IllegalArgumentException(
          "ttl must be a positive whole number of seconds, got " + ttlSeconds.getAsLong());
    }
    Objects.requireNonNull(description, "description");
    if (description.isPresent() && description.get().length() > MAX_DESCRIPTION_LENGTH) {
      throw new IllegalArgumentException(
          "description must be at most "
              + MAX_DESCRIPTION_LENGTH
              + " characters, got "
              + description.get().length());
    }
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /**
   * @throws IllegalArgumentException when {@code id} is not 1-64 characters of letters, digits, '_'
   *     and '-'
   */
  public static String checkId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "id must be 1-"
              + MAX_ID_LENGTH
              + " characters of letters, digits, '_' and '-', got "
              + Names.quote(id));
    }
    return id;
  }

  /**
   * Checks {@code key} as a template id, or a tenant's key of one ({@code <tenant>~<id>}, see
   * {@link Templates#in}).
   */
  static String checkKey(String key) {
    int at = key == null ? -1 : key.indexOf(Tenant.CHANNEL_SEPARATOR);
    if (at >= 0 && Tenant.isId(key.substring(0, at))) {
      checkId(key.substring(at + 1));
      return key;
    }
    return checkId(key);
  }

  /** This template with the id {@code id}. */
  Template withId(String id) {
    return new Template(
        id,
        name,
        eventType,
        payloadTemplate,
        priority,
        ttlSeconds,
        description,
        createdAt,
        updatedAt);
  }

  /** A copy of the payload template: the record's own stays as it was made. */
  @Override
  public JsonNode payloadTemplate() {
    return payloadTemplate.deepCopy();
  }

  /**
   * The payload of a notification made from this template: {@code {{var}}} and {@code
   * {{nested.field}}} replaced in every string, at any depth, by the variables' values. A string
   * that is exactly one placeholder takes the variable's JSON type (number, object, ...); within
   * longer text a variable is inserted as its text (a string as itself, anything else as its JSON).
   * Field names are not substituted, nor is text a variable brought in.
   *
   * @param variables an object
   * @throws IllegalArgumentException naming a variable the template uses that {@code variables}
   *     lacks, or when {@code variables} is not an object, or the variables would add more than
   *     {@link #MAX_RENDERED_CHARS} characters
   */
  public JsonNode render(JsonNode variables) {
    Objects.requireNonNull(variables, "variables");
    return Placeholders.render(payloadTemplate, variables, MAX_RENDERED_CHARS);
  }
}
