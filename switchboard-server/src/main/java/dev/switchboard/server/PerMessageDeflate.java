package dev.switchboard.server;

import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionDecoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import java.util.HashMap;
import java.util.Map;

/**
 * permessage-deflate (RFC 7692) as the server negotiates it when {@code websocket.compression} is
 * on. Netty's handshaker reads the offer and makes the inflating half (bounded: it stops at the
 * message size limit); the sending half is {@link SharedDeflateEncoder}. Every answer carries both
 * {@code no_context_takeover} parameters, whether or not the client offered them (sections 7.1.1.1
 * and 7.1.1.2 let a server add them):
 *
 * <ul>
 *   <li>{@code server_no_context_takeover}: the server compresses every message alone, so a
 *       notification's compressed bytes are the same for all its recipients and are made once; the
 *       client may drop its inflater's window between messages, and the server keeps no deflater
 *       per connection.
 *   <li>{@code client_no_context_takeover}: a client that keeps no context may send small messages
 *       uncompressed (ws, the Node client, skips them under 1 KiB only then), which spares both
 *       sides a deflate and an inflate each.
 * </ul>
 *
 * <p>An offer with {@code server_max_window_bits} is declined (the device then talks uncompressed):
 * the JDK's deflater always uses a 32 KiB window, which such a client may not be able to inflate.
 */
final class PerMessageDeflate {

  private static final String SERVER_NO_CONTEXT = "server_no_context_takeover";
  private static final String CLIENT_NO_CONTEXT = "client_no_context_takeover";

  private PerMessageDeflate() {}

  /**
   * Accepts permessage-deflate offers: inflates at most {@code maxMessageBytes} of a message,
   * compresses only messages of at least {@code minBytes}.
   */
  static WebSocketServerExtensionHandshaker handshaker(int minBytes, int maxMessageBytes) {
    WebSocketServerExtensionHandshaker netty =
        new PerMessageDeflateServerExtensionHandshaker(
            MessageDeflater.LEVEL,
            false, // allowServerWindowSize: decline server_max_window_bits (see above)
            15,
            true, // allowServerNoContext
            true, // preferredClientNoContext
            15,
            8,
            maxMessageBytes);
    return offer -> {
      Map<String, String> parameters = new HashMap<>(offer.parameters());
      // Netty puts these in its answer only when they were offered.
      parameters.putIfAbsent(SERVER_NO_CONTEXT, null);
      parameters.putIfAbsent(CLIENT_NO_CONTEXT, null);
      WebSocketServerExtension accepted =
          netty.handshakeExtension(new WebSocketExtensionData(offer.name(), parameters));
      return accepted == null ? null : new Negotiated(accepted, minBytes);
    };
  }

  /** Netty's answer and inflater, our deflater. */
  private record Negotiated(WebSocketServerExtension netty, int minBytes)
      implements WebSocketServerExtension {

    @Override
    public int rsv() {
      return netty.rsv();
    }

    @Override
    public WebSocketExtensionEncoder newExtensionEncoder() {
      return new SharedDeflateEncoder(minBytes);
    }

    @Override
    public WebSocketExtensionDecoder newExtensionDecoder() {
      return netty.newExtensionDecoder();
    }

    @Override
    public WebSocketExtensionData newReponseData() {
      return netty.newReponseData();
    }
  }
}
