package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * An HTTP API request failed: answered with {@code status} and {@code {"error": {"code", "message",
 * "details"}}}, as Ara's API answers: {@code code} is upper case ({@code VALIDATION_ERROR}), {@code
 * details} is {@code {field, constraint}} when one field is at fault (else null), and a 429 adds
 * {@code retry_after_seconds}.
 */
final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private static final Pattern CODE = Pattern.compile("[A-Z][A-Z_]*");

  private final int status;
  private final String code;
  private final transient Optional<JsonNode> details;
  private final OptionalLong retryAfterSeconds;

  /**
   * @param code upper case, as Ara's: {@code NOT_FOUND}
   * @throws IllegalArgumentException when {@code code} is not upper case
   */
  ApiException(int status, String code, String message, Optional<JsonNode> details) {
    this(status, code, message, details, OptionalLong.empty());
  }

  private ApiException(
      int status,
      String code,
      String message,
      Optional<JsonNode> details,
      OptionalLong retryAfterSeconds) {
    super(message, null, false, false);
    if (!CODE.matcher(Objects.requireNonNull(code, "code")).matches()) {
      throw new IllegalArgumentException(
          "an error code is upper case with underscores, as Ara's (VALIDATION_ERROR), got " + code);
    }
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "BAD_REQUEST", message, Optional.empty());
  }

  /** A 422 where no one field is at fault (details null). */
  static ApiException invalid(String message) {
    return new ApiException(422, "VALIDATION_ERROR", message, Optional.empty());
  }

  /**
   * A 422 blaming {@code field}: the message is {@code "<field> <constraint>"}, the details {@code
   * {field, constraint}}. A constraint that starts with the field's name has it taken off.
   */
  static ApiException invalid(String field, String constraint) {
    String rule =
        constraint.startsWith(field + " ") ? constraint.substring(field.length() + 1) : constraint;
    ObjectNode details = Json.nodes().objectNode().put("field", field).put("constraint", rule);
    return new ApiException(422, "VALIDATION_ERROR", field + " " + rule, Optional.of(details));
  }

  static ApiException unauthorized(String message) {
    return new ApiException(401, "UNAUTHORIZED", message, Optional.empty());
  }

  static ApiException forbidden(String message) {
    return new ApiException(403, "FORBIDDEN", message, Optional.empty());
  }

  static ApiException notFound(String message) {
    return new ApiException(404, "NOT_FOUND", message, Optional.empty());
  }

  static ApiException tooLarge(long limit) {
    return new ApiException(
        413,
        "PAYLOAD_TOO_LARGE",
        "request body is larger than the limit of " + limit + " bytes",
        Optional.empty());
  }

  /** A 429 whose body says when to retry, as the {@code Retry-After} header does. */
  static ApiException rateLimited(String message, long retryAfterSeconds) {
    return new ApiException(
        429, "RATE_LIMIT_EXCEEDED", message, Optional.empty(), OptionalLong.of(retryAfterSeconds));
  }

  /** A 503 {@code UNAVAILABLE} that says when to retry, as the {@code Retry-After} header does. */
  static ApiException unavailable(String message, long retryAfterSeconds) {
    return new ApiException(
        503, "UNAVAILABLE", message, Optional.empty(), OptionalLong.of(retryAfterSeconds));
  }

  static ApiException shuttingDown() {
    return new ApiException(503, "SHUTTING_DOWN", "the server is shutting down", Optional.empty());
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  Optional<JsonNode> details() {
    return details;
  }

  /** When to retry, for a 429 or a 503 that knows. */
  OptionalLong retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The answer's body. */
  ObjectNode body() {
    ObjectNode body = Json.nodes().objectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", code).put("message", getMessage());
    error.set("details", details.orElse(Json.nodes().nullNode()));
    retryAfterSeconds.ifPresent(seconds -> error.put("retry_after_seconds", seconds));
    return body;
  }
}
