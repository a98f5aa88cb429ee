package dev.switchboard.server;

import java.util.List;
import java.util.Objects;

/**
 * Limits and CORS of the HTTP API.
 *
 * @param maxBodyBytes largest request body (default 64 KiB); larger gets 413 before it is parsed
 * @param maxBatchBodyBytes largest body of {@code POST /api/v1/notifications/batch} (default 1 MiB)
 * @param maxBatchItems most notifications in one batch (default 100)
 * @param corsOrigins origins browsers may call the API from; {@code *} allows any; empty allows
 *     none (the default; development mode allows any when none are configured)
 */
public record HttpLimits(
    int maxBodyBytes, int maxBatchBodyBytes, int maxBatchItems, List<String> corsOrigins) {

  public static final HttpLimits DEFAULTS = new HttpLimits(64 << 10, 1 << 20, 100, List.of());

  public HttpLimits {
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException(
          "http.max_body_bytes must be positive, got " + maxBodyBytes);
    }
    if (maxBatchBodyBytes < 1) {
      throw new IllegalArgumentException(
          "http.max_batch_body_bytes must be positive, got " + maxBatchBodyBytes);
    }
    if (maxBatchItems < 1) {
      throw new IllegalArgumentException(
          "http.max_batch_items must be positive, got " + maxBatchItems);
    }
    corsOrigins = List.copyOf(Objects.requireNonNull(corsOrigins, "corsOrigins"));
  }
}
