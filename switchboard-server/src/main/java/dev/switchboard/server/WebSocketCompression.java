package dev.switchboard.server;

/**
 * permessage-deflate (RFC 7692) for devices that offer it. Off by default: every browser offers it,
 * and deflating small messages costs far more CPU than it saves bytes.
 *
 * @param enabled whether the server accepts the offer ({@code websocket.compression}, default
 *     false); when it does, a compressed message is inflated only up to {@code
 *     websocket.max_message_bytes}, and one that inflates further closes the connection with 1009
 * @param minBytes the smallest message the server compresses ({@code
 *     websocket.compression_min_bytes}, default 1024); shorter ones go out uncompressed, as RFC
 *     7692 allows message by message
 */
public record WebSocketCompression(boolean enabled, int minBytes) {

  public static final int DEFAULT_MIN_BYTES = 1024;
  public static final WebSocketCompression OFF = new WebSocketCompression(false, DEFAULT_MIN_BYTES);

  public WebSocketCompression {
    if (minBytes < 0) {
      throw new IllegalArgumentException(
          "websocket.compression_min_bytes must not be negative, got " + minBytes);
    }
  }

  /** Compression accepted, for messages of at least {@code minBytes}. */
  public static WebSocketCompression on(int minBytes) {
    return new WebSocketCompression(true, minBytes);
  }
}
