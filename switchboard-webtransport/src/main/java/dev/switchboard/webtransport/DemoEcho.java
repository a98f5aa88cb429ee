package dev.switchboard.webtransport;

import java.io.ByteArrayOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A development acceptor that accepts every session and echoes: a datagram back as a datagram, a
 * bidirectional stream back on itself (ending it when the client ends), a unidirectional stream
 * back on a new server-opened unidirectional stream once the client ended it. A session whose query
 * contains {@code close=CODE} is closed by the server with that code and reason {@code "bye"} after
 * its first echoed datagram, which lets a browser check that a server close reaches it.
 * Thread-safe.
 */
public final class DemoEcho implements SessionAcceptor {
  private static final Logger log = LoggerFactory.getLogger(DemoEcho.class);

  /** The largest unidirectional stream echoed; larger ones are stopped. */
  static final int MAX_UNI_BYTES = 1 << 20;

  private DemoEcho() {}

  /** An echo acceptor. */
  public static SessionAcceptor create() {
    return new DemoEcho();
  }

  @Override
  public void offer(SessionRequest request) {
    WebTransportSession session = request.accept();
    Integer closeCode = closeCodeIn(session.query());
    echoDatagramsAndUnidirectionalStreams(session);
    if (closeCode != null) {
      session.onDatagram(
          d -> {
            session.sendDatagram(d);
            session.close(closeCode, "bye");
          });
    }
    session.onBidirectionalStream(DemoEcho::echo);
    session.onClose(
        (code, reason) -> log.debug("echo session {} closed: {} {}", session.id(), code, reason));
  }

  /**
   * Echoes {@code session}'s datagrams back as datagrams, and each unidirectional stream it opens
   * back on a new server-opened one once it ends.
   */
  public static void echoDatagramsAndUnidirectionalStreams(WebTransportSession session) {
    session.onDatagram(session::sendDatagram);
    session.onUnidirectionalStream(in -> echoUni(session, in));
  }

  /** Echoes a bidirectional stream back on itself, ending it when the client ends. */
  public static void echo(WtStream stream) {
    stream.onEnd(stream::end).onData(stream::write);
  }

  private static void echoUni(WebTransportSession session, WtIncomingStream in) {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    in.onEnd(
            () ->
                session
                    .openUnidirectionalStream()
                    .thenAccept(
                        out -> {
                          out.write(received.toByteArray());
                          out.end();
                        })
                    .exceptionally(
                        e -> {
                          log.debug(
                              "echo session {}: no uni stream: {}", session.id(), e.toString());
                          return null;
                        }))
        .onData(
            bytes -> {
              if (received.size() + bytes.length > MAX_UNI_BYTES) {
                in.stopSending(0);
              } else {
                received.writeBytes(bytes);
              }
            });
  }

  private static Integer closeCodeIn(String query) {
    for (String part : query.split("&")) {
      if (part.startsWith("close=")) {
        try {
          return Integer.parseInt(part.substring("close=".length()));
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }
}
