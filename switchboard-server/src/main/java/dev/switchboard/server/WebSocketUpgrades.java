package dev.switchboard.server;

import dev.switchboard.auth.Identity;
import dev.switchboard.gateway.Registry;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket's way in: a handshake on {@code /ws} is admitted ({@link DeviceAdmission}: rate
 * limited, authenticated, given a place in the registry) before it is accepted, and the accepted
 * socket becomes a {@link Session} over a {@link WebSocketSink}. Every refusal answers the
 * handshake with its HTTP status and is counted in {@code /stats}.
 */
final class WebSocketUpgrades {

  private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrades.class);

  private final ServerConfig config;
  private final DeviceAdmission admission;
  private final Sessions sessions;

  WebSocketUpgrades(ServerConfig config, DeviceAdmission admission, Sessions sessions) {
    this.config = config;
    this.admission = admission;
    this.sessions = sessions;
  }

  /**
   * Admits the handshake (any refusal leaves no state behind but the spent budget), reading {@code
   * ack=1} as its own parameter, and only then accepts the upgrade.
   */
  void onHandshake(ServerWebSocketHandshake handshake) {
    if (!"/ws".equals(handshake.path())) {
      handshake.reject(404);
      return;
    }
    String query = Objects.requireNonNullElse(handshake.query(), "");
    admission.admit(
        new DeviceAdmission.Knock(
            handshake.remoteAddress(),
            query,
            Optional.ofNullable(handshake.headers().get("Authorization")),
            Vertx.currentContext()),
        () -> DeviceAuth.acknowledges(query),
        new DeviceAdmission.Listener<Boolean>() {
          @Override
          public void admitted(
              Identity identity, Registry.Reservation place, Boolean acknowledges) {
            handshake
                .accept()
                .onComplete(
                    socket -> attach(socket, identity, place, acknowledges),
                    failure -> {
                      place.close();
                      log.debug(
                          "{}: upgrade failed: {}", handshake.remoteAddress(), failure.toString());
                    });
          }

          @Override
          public void refused(DeviceAdmission.Refusal refusal) {
            handshake.reject(refusal.status());
          }
        });
  }

  private void attach(
      ServerWebSocket socket, Identity identity, Registry.Reservation place, boolean acknowledges) {
    SessionSink sink =
        new WebSocketSink(
            socket, config.rpc().maxMessageBytes(), config.outboxLimits().maxMessages());
    sessions.open(sink, identity, place, Sessions.Join.webSocket(acknowledges));
  }
}
