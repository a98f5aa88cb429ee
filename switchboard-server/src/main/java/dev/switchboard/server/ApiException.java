package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * An HTTP API request failed: answered with {@code status} and {@code {"error": {"code", "message",
 * "details"}}}.
 */
final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient Optional<JsonNode> details;

  ApiException(int status, String code, String message, Optional<JsonNode> details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message, Optional.empty());
  }

  static ApiException invalid(String message) {
    return new ApiException(422, "validation_error", message, Optional.empty());
  }

  static ApiException unauthorized(String message) {
    return new ApiException(401, "unauthorized", message, Optional.empty());
  }

  static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message, Optional.empty());
  }

  static ApiException tooLarge(long limit) {
    return new ApiException(
        413,
        "payload_too_large",
        "request body is larger than the limit of " + limit + " bytes",
        Optional.empty());
  }

  static ApiException rateLimited(String message) {
    return new ApiException(429, "rate_limited", message, Optional.empty());
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
}
