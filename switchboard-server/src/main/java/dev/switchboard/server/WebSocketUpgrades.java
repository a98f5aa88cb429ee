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
 * socket becomes a {@link Session} over a {@link WebSocketSink}, speaking the {@link
 * DeviceProtocol} the handshake chose ({@link #protocol}). Every refusal answers the handshake with
 * its HTTP status and is counted in {@code /stats}.
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

  /** What a WebSocket's handshake asks for beside its token. */
  private record Parameters(boolean acknowledges, DeviceProtocol protocol) {}

  /**
   * Admits the handshake (any refusal leaves no state behind but the spent budget), reading {@code
   * ack=1} and the protocol as its own parameters, and only then accepts the upgrade.
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
            Optional.ofNullable(handshake.headers().get(ClusterNode.API_KEY_HEADER)),
            Vertx.currentContext()),
        () ->
            new Parameters(
                DeviceAuth.acknowledges(query),
                protocol(
                    query,
                    Optional.ofNullable(handshake.headers().get("Sec-WebSocket-Protocol")),
                    config.defaultProtocol())),
        new DeviceAdmission.Listener<Parameters>() {
          @Override
          public void admitted(
              Identity identity, Optional<Registry.Reservation> place, Parameters parameters) {
            handshake
                .accept()
                .onComplete(
                    socket -> attach(socket, identity, place, parameters),
                    failure -> {
                      place.ifPresent(Registry.Reservation::close);
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

  /**
   * The protocol a handshake asks for: {@code ?protocol=}, else the first subprotocol offered that
   * names one (the one the server's answer selects, see {@link SwitchboardServer}), else {@code
   * fallback}. Other subprotocols are left unanswered, as RFC 6455 has it.
   *
   * @param offered the {@code Sec-WebSocket-Protocol} header: subprotocols separated by commas
   * @throws IllegalArgumentException when {@code ?protocol=} names no protocol, or another than the
   *     subprotocol
   */
  static DeviceProtocol protocol(String query, Optional<String> offered, DeviceProtocol fallback) {
    Optional<DeviceProtocol> subprotocol = Optional.empty();
    for (String name : offered.orElse("").split(",")) {
      subprotocol = DeviceProtocol.byName(name).filter(p -> p.wireName().equals(name.trim()));
      if (subprotocol.isPresent()) {
        break;
      }
    }
    Optional<String> asked = DeviceAuth.parameter(query, "protocol");
    if (asked.isEmpty()) {
      return subprotocol.orElse(fallback);
    }
    DeviceProtocol chosen = DeviceProtocol.parse(asked.get());
    if (subprotocol.isPresent() && subprotocol.get() != chosen) {
      throw new IllegalArgumentException(
          "protocol="
              + chosen
              + " contradicts the WebSocket subprotocol "
              + subprotocol.get()
              + "; name one protocol");
    }
    return chosen;
  }

  private void attach(
      ServerWebSocket socket,
      Identity identity,
      Optional<Registry.Reservation> place,
      Parameters parameters) {
    SessionSink sink =
        new WebSocketSink(
            socket, config.rpc().maxMessageBytes(), config.outboxLimits().maxMessages());
    sessions.open(
        sink,
        identity,
        place,
        Sessions.Join.webSocket(parameters.acknowledges(), parameters.protocol()));
  }
}
