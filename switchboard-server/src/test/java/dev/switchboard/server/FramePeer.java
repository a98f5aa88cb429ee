package dev.switchboard.server;

import static dev.switchboard.server.ClientFrames.CLOSE;
import static dev.switchboard.server.ClientFrames.FIN;
import static dev.switchboard.server.ClientFrames.PING;
import static dev.switchboard.server.ClientFrames.PONG;
import static dev.switchboard.server.ClientFrames.closePayload;
import static dev.switchboard.server.ClientFrames.concat;
import static dev.switchboard.server.ClientFrames.frame;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.switchboard.testing.SilentWebSocket;
import dev.switchboard.websocket.CloseCodes;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A WebSocket connection after a valid handshake, written to byte by byte ({@link ClientFrames})
 * and read frame by frame, that never answers anything by itself: for tests that break RFC 6455 on
 * purpose and watch how the server ends the connection.
 */
final class FramePeer implements AutoCloseable {

  private static final Duration WAIT = PushFixture.WAIT;

  /** How the server ended a connection: its close code (1006 for none), what it answered before. */
  record Ending(int code, List<String> answers) {}

  private final SilentWebSocket socket;

  /** Connects to {@code uri}; fails the test when the upgrade is refused. */
  FramePeer(URI uri) {
    this.socket = SilentWebSocket.connect(uri);
  }

  /** Writes {@code parts}; the server may cut the connection before they are all written. */
  void write(byte[]... parts) {
    try {
      socket.socket().getOutputStream().write(concat(parts));
    } catch (IOException cutWhileWriting) {
      // what the server answered before is still read
    }
  }

  SilentWebSocket.WireFrame next() {
    try {
      return socket.readFrame(WAIT);
    } catch (IOException e) {
      throw new AssertionError("no frame within " + WAIT, e);
    }
  }

  /** The close frame, or the connection's end, within {@code timeout}; empty when neither. */
  Optional<Ending> ending(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> answers = new ArrayList<>();
    for (long left; (left = (deadline - System.nanoTime()) / 1_000_000) > 0; ) {
      SilentWebSocket.WireFrame frame;
      try {
        frame = socket.readFrame(Duration.ofMillis(left));
      } catch (SocketTimeoutException e) {
        break;
      } catch (IOException e) {
        return Optional.of(new Ending(CloseCodes.ABNORMAL, answers));
      }
      byte[] p = frame.payload();
      if (frame.opcode() == CLOSE) {
        int code = p.length >= 2 ? (p[0] & 0xFF) << 8 | p[1] & 0xFF : CloseCodes.NO_STATUS;
        return Optional.of(new Ending(code, answers));
      }
      if (frame.opcode() != PING && frame.opcode() != PONG) {
        answers.add(new String(p, UTF_8));
      }
    }
    return Optional.empty();
  }

  /** Finishes the close handshake as a polite peer would (nothing to answer after a cut). */
  void answerClose(int code) {
    if (CloseCodes.isAllowedOnTheWire(code)) {
      write(frame(FIN | CLOSE, closePayload(code, "")));
    }
  }

  void shutdownOutput() {
    try {
      socket.socket().shutdownOutput();
    } catch (IOException alreadyCut) {
      // then the end is read at once
    }
  }

  boolean endsWithin(Duration timeout) {
    try {
      return socket.connectionEndsWithin(timeout);
    } catch (IOException e) {
      return true;
    }
  }

  /** Leaves without a word: a FIN, or a reset when {@code reset}. */
  void abandon(boolean reset) {
    try {
      socket.socket().setSoLinger(reset, 0);
      socket.close();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException alreadyClosed) {
      // nothing to do
    }
  }
}
