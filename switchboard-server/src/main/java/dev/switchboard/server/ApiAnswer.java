package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What a route answers when it succeeds: a status and, but for 204, a JSON body.
 *
 * @param status 200, 201 or 204
 */
record ApiAnswer(int status, Optional<JsonNode> body) {

  /** 200 with {@code body}. */
  static ApiAnswer ok(JsonNode body) {
    return new ApiAnswer(200, Optional.of(body));
  }

  /** 201 with {@code body}: what was created. */
  static ApiAnswer created(JsonNode body) {
    return new ApiAnswer(201, Optional.of(body));
  }

  /** 204, no body. */
  static ApiAnswer noContent() {
    return new ApiAnswer(204, Optional.empty());
  }
}
