package dev.switchboard.server;

import static dev.switchboard.server.ClientFrames.BINARY;
import static dev.switchboard.server.ClientFrames.CLOSE;
import static dev.switchboard.server.ClientFrames.CONTINUATION;
import static dev.switchboard.server.ClientFrames.FIN;
import static dev.switchboard.server.ClientFrames.MASK;
import static dev.switchboard.server.ClientFrames.PING;
import static dev.switchboard.server.ClientFrames.PONG;
import static dev.switchboard.server.ClientFrames.TEXT;
import static dev.switchboard.server.ClientFrames.closePayload;
import static dev.switchboard.server.ClientFrames.concat;
import static dev.switchboard.server.ClientFrames.fragments;
import static dev.switchboard.server.ClientFrames.frame;
import static dev.switchboard.server.ClientFrames.head;
import static dev.switchboard.server.ClientFrames.hex;
import static dev.switchboard.server.ClientFrames.lengthBytes;
import static dev.switchboard.server.ClientFrames.masked;
import static dev.switchboard.server.ClientFrames.unmaskedFrame;
import static dev.switchboard.server.ClientFrames.utf8;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.testing.SilentWebSocket;
import dev.switchboard.websocket.CloseCodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * WebSocket framing that breaks RFC 6455, and bytes that are no framing at all, sent by hand over
 * real sockets after a valid handshake. Whatever a peer sends, the server promises:
 *
 * <ul>
 *   <li>a frame the RFC forbids closes that connection with the code the RFC names: 1002 (protocol
 *       error) for reserved bits or opcodes, an unmasked frame, a fragmented or over-long (126+
 *       bytes) control frame, a continuation with nothing to continue, a new message inside a
 *       fragmented one, a close code no endpoint may send, a one-byte close payload, a 64-bit
 *       length with its top bit set or any length not in the fewest bytes; 1007 (invalid data) for
 *       a text message or a close reason that is not UTF-8; 1009 (too big) for a frame or a
 *       fragmented message over {@code websocket.max_message_bytes}, said without waiting for the
 *       payload;
 *   <li>nothing sent after the offending frame is run (an {@code echo} right behind it is never
 *       answered);
 *   <li>the TCP connection ends soon after the close frame, even when the peer never answers it;
 *   <li>random bytes, and a frame cut off midway, end in one of those codes or in the TCP
 *       connection's end; a peer that has stopped sending is never kept, nor is its session;
 *   <li>no one else notices: after every property a device connected throughout answers a ping and
 *       receives a push sent through the HTTP API, nothing was logged at ERROR level (no unhandled
 *       exception, no leaked buffer), and at the end {@code /health} is healthy and that device's
 *       is the only session left.
 * </ul>
 *
 * What well-framed messages carry (damaged JSON-RPC, MessagePack) is {@link WireFuzzTest}'s.
 */
class FrameFuzzTest {

  private static final int MAX_MESSAGE = 64 << 10;
  private static final Duration WAIT = PushFixture.WAIT;

  /** How soon after its close frame a peer that broke the protocol is cut, answered or not. */
  private static final Duration CUT = Duration.ofMillis(WebSocketSink.FAIL_GRACE_MILLIS + 1000);

  /** How long random bytes get to be refused before the peer says it has nothing more. */
  private static final Duration SETTLE = Duration.ofMillis(50);

  /** An echo request sent right behind every offending frame: it must never be answered. */
  private static final byte[] ECHO_AFTER =
      frame(FIN | TEXT, utf8("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"echo\",\"params\":[0]}"));

  private static final String CHANNEL = "bystanders";
  private static final AtomicInteger pushes = new AtomicInteger();

  private static ErrorLog log;
  private static PushFixture push;
  private static PushDevice bystander;

  @BeforeContainer
  static void start() {
    log = ErrorLog.record();
    RpcConfig rpc = RpcConfig.builder().maxMessageBytes(MAX_MESSAGE).build();
    push =
        PushFixture.start(
            PushFixture.development()
                .rpc(ServerConfig.keepalive(rpc, Duration.ofSeconds(30), Duration.ofSeconds(120))));
    bystander = push.anonymousDevice();
    bystander.subscribe(CHANNEL);
  }

  @AfterProperty
  void noOneElseNoticed() {
    assertBystanderServed();
    assertThat(log.newErrors()).as("lines logged at ERROR level").isEmpty();
  }

  @AfterContainer
  static void stop() {
    try {
      push.awaitConnections(1);
      assertThat(push.http.get("/health").json().path("status").asText()).isEqualTo("healthy");
      assertBystanderServed();
    } finally {
      push.close();
      log.close();
    }
  }

  private static void assertBystanderServed() {
    assertThat(bystander.isOpen()).as("the bystander's connection").isTrue();
    assertThat(bystander.call("ping", "[]").path("result").asText()).isEqualTo("pong");
    String event = "still-served-" + pushes.incrementAndGet();
    push.sendToChannel(CHANNEL, event);
    bystander.awaitEvent(event);
  }

  // ---- the promises

  @Property(tries = 300)
  void aFrameRfc6455ForbidsClosesItsConnectionWithTheCodeTheRfcNames(
      @ForAll("violations") Violation violation) {
    Statistics.collect(violation.kind());
    try (FramePeer peer = new FramePeer(push.ws(""))) {
      peer.write(violation.bytes(), ECHO_AFTER);
      FramePeer.Ending ending =
          peer.ending(WAIT).orElseThrow(() -> new AssertionError("open: " + violation));
      assertThat(ending.code()).as("close code for %s", violation).isEqualTo(violation.code());
      assertThat(ending.answers()).as("answers after %s", violation).isEmpty();
      peer.answerClose(ending.code());
      assertThat(peer.endsWithin(CUT)).as("TCP ended after %s", violation).isTrue();
    }
  }

  /** One offence for each place one is caught: Netty's decoder, the frame guard, the sink. */
  @Example
  void aPeerThatNeverAnswersTheCloseIsCutSoonAfterIt() {
    byte[] half = new byte[MAX_MESSAGE / 2 + 1];
    List<Violation> offences =
        List.of(
            protocolError("reserved opcode", frame(FIN | 0x3, new byte[0])),
            protocolError("close code 5000", frame(FIN | CLOSE, closePayload(5000, ""))),
            invalidData("not UTF-8", frame(FIN | TEXT, new byte[] {'"', (byte) 0xFF, '"'})),
            tooBig("two fragments", frame(BINARY, half), frame(FIN | CONTINUATION, half)));
    for (Violation offence : offences) {
      try (FramePeer peer = new FramePeer(push.ws(""))) {
        peer.write(offence.bytes());
        assertThat(peer.ending(WAIT))
            .as(offence.kind())
            .map(FramePeer.Ending::code)
            .hasValue(offence.code());
        assertThat(peer.endsWithin(CUT)).as("TCP ended after %s, unanswered", offence).isTrue();
      }
    }
  }

  /** The yardstick for the offences: the same framing, done right, is served. */
  @Example
  void aFragmentedMessageWithAPingBetweenItsFragmentsIsAnsweredAndTheConnectionStays() {
    byte[] request =
        utf8("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"echo\",\"params\":[\"h\u00e9\"]}");
    int split = request.length - 4; // inside the two bytes of "é"
    try (FramePeer peer = new FramePeer(push.ws(""))) {
      peer.write(
          frame(TEXT, Arrays.copyOfRange(request, 0, 10)),
          frame(FIN | PING, utf8("p")),
          frame(CONTINUATION, Arrays.copyOfRange(request, 10, split)),
          frame(FIN | CONTINUATION, Arrays.copyOfRange(request, split, request.length)));
      SilentWebSocket.WireFrame pong = peer.next();
      assertThat(pong.opcode()).isEqualTo(PONG);
      assertThat(pong.payload()).containsExactly('p');
      JsonNode answer = PushHttp.parse(new String(peer.next().payload(), UTF_8));
      assertThat(answer.path("result").asText()).isEqualTo("h\u00e9");
      peer.write(frame(FIN | CLOSE, closePayload(1000, "bye")));
      assertThat(peer.ending(WAIT)).map(FramePeer.Ending::code).hasValue(1000);
    }
  }

  @Example
  void aMessageOfExactlyTheLimitIsServedAndOneByteMoreIs1009() {
    String head = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[\"";
    String tail = "\"]}";
    String atTheLimit = head + "a".repeat(MAX_MESSAGE - head.length() - tail.length()) + tail;
    try (FramePeer peer = new FramePeer(push.ws(""))) {
      peer.write(frame(FIN | TEXT, utf8(atTheLimit)));
      assertThat(new String(peer.next().payload(), UTF_8)).contains("\"result\"");
      peer.write(frame(FIN | TEXT, utf8(atTheLimit + " ")));
      assertThat(peer.ending(WAIT)).map(FramePeer.Ending::code).hasValue(1009);
    }
  }

  @Property(tries = 150)
  void randomBytesEndInARefusalOrTheConnectionsEndNeverInAConnectionKept(
      @ForAll("soup") byte[] soup) {
    try (FramePeer peer = new FramePeer(push.ws(""))) {
      peer.write(soup);
      Optional<FramePeer.Ending> ending = peer.ending(SETTLE);
      Statistics.collect(ending.map(e -> "closed with " + e.code()).orElse("waiting for more"));
      if (ending.isEmpty()) {
        // Whole frames, or a frame's beginning: the server waits for more until the peer has none.
        peer.shutdownOutput();
        ending = peer.ending(CUT);
      }
      assertThat(ending).as("an end after %s", hex(soup)).isPresent();
      assertThat(ending.get().code()).as("close code for %s", hex(soup)).isIn(refusals(soup));
      peer.answerClose(ending.get().code());
      assertThat(peer.endsWithin(CUT)).as("TCP ended after %s", hex(soup)).isTrue();
    }
  }

  @Property(tries = 40)
  void aFrameCutOffMidwayThenClosedLeavesNoSessionBehind(
      @ForAll("wellFormed") byte[] frames, @ForAll int cutAt, @ForAll boolean reset) {
    int cut = 1 + Math.floorMod(cutAt, frames.length - 1);
    push.awaitConnections(1);
    try (FramePeer peer = new FramePeer(push.ws(""))) {
      push.awaitConnections(2);
      peer.write(Arrays.copyOf(frames, cut));
      peer.abandon(reset);
    }
    push.awaitConnections(1);
  }

  // ---- what is sent

  /** A frame that breaks RFC 6455, and the close code it deserves. */
  record Violation(String kind, byte[] bytes, int code) {
    @Override
    public String toString() {
      return kind + " " + hex(bytes);
    }
  }

  static Violation protocolError(String kind, byte[]... frames) {
    return new Violation(kind, concat(frames), CloseCodes.PROTOCOL_ERROR);
  }

  static Violation invalidData(String kind, byte[]... frames) {
    return new Violation(kind, concat(frames), CloseCodes.INVALID_PAYLOAD);
  }

  static Violation tooBig(String kind, byte[]... frames) {
    return new Violation(kind, concat(frames), CloseCodes.MESSAGE_TOO_BIG);
  }

  @Provide
  Arbitrary<Violation> violations() {
    Arbitrary<Integer> data = Arbitraries.of(TEXT, BINARY);
    Arbitrary<Integer> notClose = Arbitraries.of(TEXT, BINARY, PING, PONG);
    Arbitrary<Integer> control = Arbitraries.of(PING, PONG, CLOSE);
    Arbitrary<Integer> fin = Arbitraries.of(0, FIN);
    Arbitrary<Boolean> ping = Arbitraries.of(true, false);
    Arbitrary<byte[]> text = Arbitraries.strings().ofMaxLength(30).map(ClientFrames::utf8);
    Arbitrary<byte[]> notUtf8 = notUtf8(text);
    Arbitrary<Integer> reserved = Arbitraries.of(3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF);
    Arbitrary<Integer> goodCode = Arbitraries.of(1000, 1001, 1003, 1008, 1011, 3000, 4999);
    Arbitrary<Integer> badCode =
        Arbitraries.oneOf(
            Arbitraries.of(0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535),
            Arbitraries.integers().between(0, 999),
            Arbitraries.integers().between(1016, 2999),
            Arbitraries.integers().between(5000, 65535));
    return Arbitraries.oneOf(
        List.of(
            Combinators.combine(Arbitraries.integers().between(1, 7), notClose, text)
                .as((rsv, op, p) -> protocolError("RSV bits", frame(FIN | rsv << 4 | op, p))),
            Combinators.combine(reserved, fin, text)
                .as((op, f, p) -> protocolError("reserved opcode", frame(f | op, p))),
            Combinators.combine(notClose, text)
                .as((op, p) -> protocolError("unmasked", unmaskedFrame(FIN | op, p))),
            control.map(
                op -> protocolError("fragmented control", frame(op, closePayload(1000, "")))),
            Combinators.combine(control, Arbitraries.integers().between(126, 300))
                .as((op, n) -> protocolError("long control", frame(FIN | op, new byte[n]))),
            Combinators.combine(fin, text)
                .as((f, p) -> protocolError("lone continuation", frame(f | CONTINUATION, p))),
            Combinators.combine(data, data, text, ping)
                .as(
                    (first, next, p, pinged) ->
                        protocolError(
                            "message in a message",
                            frame(first, p),
                            pinged ? frame(FIN | PING, p) : new byte[0],
                            frame(FIN | next, p))),
            Combinators.combine(notUtf8, Arbitraries.integers().between(1, 3), ping)
                .as((p, n, pinged) -> invalidData("text not UTF-8", fragments(TEXT, p, n, pinged))),
            Combinators.combine(goodCode, notUtf8.filter(r -> r.length <= 123))
                .as(
                    (code, r) ->
                        invalidData("reason not UTF-8", frame(FIN | CLOSE, closePayload(code, r)))),
            Combinators.combine(badCode, Arbitraries.strings().alpha().ofMaxLength(20))
                .as(
                    (code, r) ->
                        protocolError(
                            "bad close code", frame(FIN | CLOSE, closePayload(code, utf8(r))))),
            Arbitraries.bytes()
                .map(b -> protocolError("one-byte close", frame(FIN | CLOSE, new byte[] {b}))),
            Combinators.combine(data, Arbitraries.longs().between(0, Long.MAX_VALUE))
                .as(
                    (op, n) ->
                        protocolError("top length bit", head(FIN | op, 8, n | Long.MIN_VALUE))),
            Combinators.combine(
                    data, Arbitraries.integers().between(0, 0xFFFF), Arbitraries.of(2, 8))
                .filter((op, n, width) -> n < 126 || width == 8)
                .as(
                    (op, n, width) ->
                        protocolError(
                            "long length", head(FIN | op, width, n), masked(new byte[n]))),
            Combinators.combine(
                    data, fin, Arbitraries.longs().between(MAX_MESSAGE + 1L, Long.MAX_VALUE))
                .as((op, f, n) -> tooBig("frame too big", head(f | op, lengthBytes(n), n))),
            Combinators.combine(
                    Arbitraries.integers().between(2, 4),
                    Arbitraries.integers().between(1, 999),
                    ping)
                .as(
                    (n, extra, pinged) ->
                        tooBig(
                            "message too big",
                            fragments(BINARY, new byte[MAX_MESSAGE + extra], n, pinged)))));
  }

  /** Valid text around one sequence UTF-8 forbids anywhere. */
  private static Arbitrary<byte[]> notUtf8(Arbitrary<byte[]> text) {
    Arbitrary<byte[]> bad =
        Arbitraries.of(
            new byte[] {(byte) 0xC0, (byte) 0x80}, // overlong
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a surrogate
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // past U+10FFFF
            new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            new byte[] {(byte) 0xFF},
            new byte[] {(byte) 0x80}, // a continuation byte alone
            new byte[] {(byte) 0xE2, (byte) 0x82}); // cut short
    return Combinators.combine(text, bad, text).as(ClientFrames::concat);
  }

  /** Random bytes, alone or after a valid head or valid frames, so that decoding gets further. */
  @Provide
  Arbitrary<byte[]> soup() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMinSize(2).ofMaxSize(300);
    Arbitrary<byte[]> afterAHead =
        Combinators.combine(Arbitraries.of(TEXT, BINARY, PING, PONG, CLOSE), random)
            .as(
                (op, r) ->
                    concat(new byte[] {(byte) (FIN | op), (byte) (0x80 | r[0] & 0x7F)}, MASK, r));
    Arbitrary<byte[]> afterFrames =
        Combinators.combine(wellFormed(), random).as(ClientFrames::concat);
    return Arbitraries.frequencyOf(
        Tuple.of(3, random), Tuple.of(1, afterAHead), Tuple.of(1, afterFrames));
  }

  /**
   * What random bytes may end in: 1002, 1007, 1009, a cut (1006); or the echo of a close frame the
   * bytes happen to hold (1000 for one without a code).
   */
  private static List<Integer> refusals(byte[] soup) {
    List<Integer> codes = new ArrayList<>(List.of(1002, 1007, 1009, CloseCodes.ABNORMAL));
    for (int i = 0; i + 6 <= soup.length; i++) {
      if ((soup[i] & 0xFF) != (FIN | CLOSE) || (soup[i + 1] & 0x80) == 0) {
        continue;
      }
      if ((soup[i + 1] & 0x7F) == 0) {
        codes.add(CloseCodes.NORMAL);
      } else if (i + 8 <= soup.length) {
        codes.add(((soup[i + 6] ^ soup[i + 2]) & 0xFF) << 8 | (soup[i + 7] ^ soup[i + 3]) & 0xFF);
      }
    }
    return codes;
  }

  /** Frames any server must take: a request, in one frame or several, and pings. */
  @Provide
  Arbitrary<byte[]> wellFormed() {
    Arbitrary<byte[]> request =
        Arbitraries.strings()
            .ofMaxLength(200)
            .map(
                s ->
                    utf8(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":["
                            + TextNode.valueOf(s)
                            + "]}"));
    return Arbitraries.oneOf(
        List.of(
            request.map(r -> frame(FIN | TEXT, r)),
            Combinators.combine(
                    request, Arbitraries.integers().between(2, 4), Arbitraries.of(true, false))
                .as((r, n, pinged) -> fragments(TEXT, r, n, pinged)),
            Arbitraries.bytes()
                .array(byte[].class)
                .ofMinSize(1)
                .ofMaxSize(125)
                .map(p -> frame(FIN | PING, p))));
  }
}
