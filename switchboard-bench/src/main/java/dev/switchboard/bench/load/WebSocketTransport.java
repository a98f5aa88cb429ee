package dev.switchboard.bench.load;

import dev.switchboard.bench.DeviceFleet;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Devices over WebSocket ({@code ws}): {@code /ws?token=<JWT>}, JSON-RPC 2.0, one JSON text per
 * text frame (see {@link DeviceMessages.Dialog}). One Vert.x instance with a few event loops serves
 * every device, spread over the loops one context each ({@link DeviceFleet#eventLoopContexts}).
 */
final class WebSocketTransport extends VertxDeviceTransport<WebSocketTransport.Device> {

  static final String NAME = "ws";

  private static final int MAX_MESSAGE_BYTES = 1 << 20;

  private final LoadTarget target;
  private final WebSocketClient client;

  /**
   * @param eventLoops the Vert.x event loops that run the devices (1 or 2 are plenty)
   * @param connectTimeout how long a device may take to open and subscribe
   */
  WebSocketTransport(LoadTarget target, int eventLoops, Duration connectTimeout) {
    super(NAME, connectTimeout, eventLoops);
    this.target = Objects.requireNonNull(target, "target");
    this.client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setMaxConnections(Integer.MAX_VALUE)
                .setMaxFrameSize(MAX_MESSAGE_BYTES)
                .setMaxMessageSize(MAX_MESSAGE_BYTES)
                .setTryUsePerMessageCompression(false)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) connectTimeout.toMillis()));
  }

  @Override
  Device newDevice(DeviceSpec spec, DeviceListener listener) {
    return new Device(spec, listener);
  }

  @Override
  void open(Device device) {
    device.open();
  }

  /** {@code /ws}, with {@code ?token=} when the device has one. */
  static String path(DeviceSpec spec) {
    return "/ws"
        + spec.token()
            .map(t -> "?token=" + URLEncoder.encode(t, StandardCharsets.UTF_8))
            .orElse("");
  }

  /** One WebSocket; its dialog runs on the connection's event loop. */
  final class Device extends DialogDevice {
    private volatile ClientWebSocket ws;

    /** The last error the connection reported, for the reason of its end. */
    private volatile String error;

    Device(DeviceSpec spec, DeviceListener listener) {
      super(NAME, spec, listener, live);
    }

    /** On the device's event loop. */
    void open() {
      if (ended()) {
        return;
      }
      ClientWebSocket socket = client.webSocket();
      DeviceMessages.Dialog talk = talkOver(socket::writeTextMessage);
      socket.textMessageHandler(text -> talk.onText(text, System.nanoTime()));
      socket.closeHandler(v -> lost(closeReason(socket)));
      socket.exceptionHandler(
          e -> {
            // Vert.x closes the connection after most errors; the close says why, with this.
            error = e.toString();
            if (ws != null) {
              socket.close();
            }
          });
      WebSocketConnectOptions options =
          new WebSocketConnectOptions()
              .setAbsoluteURI(target.webSocket(path(spec)).toString())
              .setConnectTimeout(connectTimeout.toMillis());
      stage("opening the WebSocket");
      socket
          .connect(options)
          .onComplete(
              opened -> {
                ws = socket;
                if (ended()) {
                  socket.close();
                  return;
                }
                stage("waiting for the subscribe answer");
                dialog = talk;
                talk.open(spec.channels(), false);
              },
              refused -> fail("cannot open " + target.webSocket("/ws") + ": " + describe(refused)));
    }

    /** An upgrade's refusal with the body that says why (a 401's reason, ...). */
    private static String describe(Throwable error) {
      if (error instanceof UpgradeRejectedException rejected && rejected.getBody() != null) {
        return error.getMessage()
            + " "
            + DeviceMessages.abbreviate(rejected.getBody().toString(StandardCharsets.UTF_8));
      }
      return Objects.requireNonNullElse(error.getMessage(), error.toString());
    }

    private String closeReason(ClientWebSocket socket) {
      Short code = socket.closeStatusCode();
      String reason =
          code == null
              ? "1006 closed without a close frame"
              : code + " " + Objects.toString(socket.closeReason(), "");
      return error == null ? reason : reason + " (after " + error + ")";
    }

    @Override
    void disconnect() {
      ClientWebSocket socket = ws;
      if (socket != null) {
        socket.close();
      }
    }
  }
}
