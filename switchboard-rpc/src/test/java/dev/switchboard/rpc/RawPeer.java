package dev.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.jsonrpc.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.msgpack.jackson.dataformat.MessagePackMapper;

/**
 * The far end of a connection as a test drives it byte by byte: it sends whatever it is given (also
 * what no {@link RpcConnection} would send) and hands back each message as it arrived. Every read
 * waits at most {@link #WAIT} and fails the test when nothing came.
 */
final class RawPeer implements TransportListener {

  static final Duration WAIT = Duration.ofSeconds(5);

  private static final MessagePackMapper MSGPACK = new MessagePackMapper();
  private static final String SENTINEL = "nothing-else";

  private final Transport transport;
  private final BlockingQueue<Arrived> arrived = new LinkedBlockingQueue<>();
  private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();

  private record Arrived(Encoding encoding, byte[] bytes) {}

  RawPeer(Transport transport) {
    this.transport = transport;
  }

  /** Sends {@code json} as one text message. */
  RawPeer send(String json) {
    assertThat(transport.send(Encoding.JSON, json.getBytes(StandardCharsets.UTF_8)))
        .as("sent %s", json)
        .isTrue();
    return this;
  }

  /** Sends {@code value} (maps, lists, numbers...) encoded as one MessagePack message. */
  RawPeer sendMsgPack(Object value) {
    try {
      assertThat(transport.send(Encoding.MSGPACK, MSGPACK.writeValueAsBytes(value))).isTrue();
    } catch (IOException e) {
      throw new AssertionError("cannot encode " + value, e);
    }
    return this;
  }

  /** The next message, which must be JSON, as it was sent. */
  String nextText() {
    Arrived next = next(Encoding.JSON);
    return new String(next.bytes(), StandardCharsets.UTF_8);
  }

  /** The next message, which must be JSON, parsed. */
  JsonNode nextJson() {
    return json(nextText());
  }

  /** The next message, which must be MessagePack, parsed. */
  JsonNode nextMsgPack() {
    try {
      return MSGPACK.readTree(next(Encoding.MSGPACK).bytes());
    } catch (IOException e) {
      throw new AssertionError("not MessagePack", e);
    }
  }

  /** The next {@code count} JSON answers, by id, in whatever order they came. */
  Map<Integer, JsonNode> answers(int count) {
    Map<Integer, JsonNode> byId = new HashMap<>();
    for (int i = 0; i < count; i++) {
      JsonNode answer = nextJson();
      byId.put(answer.get("id").asInt(), answer);
    }
    return byId;
  }

  /**
   * Asserts that nothing arrived that the test did not read: a ping sent now must be answered
   * before anything else. (What a handler running on another thread sends later is not seen; the
   * specs that use this read those answers themselves.)
   */
  void assertNothingElseArrived() {
    send("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.ping\",\"id\":\"" + SENTINEL + "\"}");
    JsonNode next = nextJson();
    assertThat(next.path("id").asText()).as("an unexpected message: %s", next).isEqualTo(SENTINEL);
  }

  /** Completes when the connection has closed, with the code and reason the other end gave. */
  CompletableFuture<CloseReason> closed() {
    return closed;
  }

  static JsonNode json(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private Arrived next(Encoding encoding) {
    Arrived next;
    try {
      next = arrived.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a message", e);
    }
    if (next == null) {
      throw new AssertionError("no message within " + WAIT);
    }
    assertThat(next.encoding()).as("the encoding of the next message").isEqualTo(encoding);
    return next;
  }

  @Override
  public void receive(Encoding encoding, byte[] message) {
    arrived.add(new Arrived(encoding, message));
  }

  @Override
  public void alive() {}

  @Override
  public void transportClosed(int code, String reason) {
    closed.complete(new CloseReason(code, reason));
  }

  @Override
  public void close(int code, String reason) {
    transport.close(code, reason);
  }
}
