package dev.switchboard.gateway;

import dev.switchboard.jsonrpc.Encoding;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * One whole message on its way to a device. The bytes are shared between recipients and never
 * modified; so is the message's compressed form, made once for all of them ({@link #compressed}).
 *
 * <p>Thread-safe. Equal only to itself: two messages with the same bytes are two deliveries.
 */
public final class Outgoing {

  /** The bytes and their compressed form, shared by every copy {@link #at} makes. */
  private static final class Body {
    final byte[] bytes;

    /** When the message was made ({@link System#nanoTime}): for its delivery latency. */
    final long madeNanos;

    /** Guards the making of {@link #compressed}, so that only one thread compresses. */
    final Object compressing = new Object();

    /** The compressed form once made; null until a recipient asks for it. */
    volatile byte[] compressed;

    /**
     * The message in other wire forms, by form ({@link #rendered}); null until one is asked for.
     */
    volatile Map<Object, Body> forms;

    Body(byte[] bytes) {
      this(bytes, System.nanoTime());
    }

    Body(byte[] bytes, long madeNanos) {
      this.bytes = Objects.requireNonNull(bytes, "bytes");
      this.madeNanos = madeNanos;
    }
  }

  private final Encoding encoding;
  private final Body body;
  private final Optional<Priority> priority;
  private final Optional<Position> position;

  private Outgoing(
      Encoding encoding, Body body, Optional<Priority> priority, Optional<Position> position) {
    this.encoding = Objects.requireNonNull(encoding, "encoding");
    this.body = body;
    this.priority = Objects.requireNonNull(priority, "priority");
    this.position = Objects.requireNonNull(position, "position");
  }

  /** A notification's encoded message (JSON), in no stream. */
  public static Outgoing notification(byte[] bytes, Priority priority) {
    return new Outgoing(Encoding.JSON, new Body(bytes), Optional.of(priority), Optional.empty());
  }

  /** A notification's encoded message (JSON), at {@code position} of its stream. */
  public static Outgoing notification(byte[] bytes, Priority priority, Position position) {
    return new Outgoing(
        Encoding.JSON, new Body(bytes), Optional.of(priority), Optional.of(position));
  }

  /** An RPC message: never dropped. */
  public static Outgoing rpc(Encoding encoding, byte[] bytes) {
    return new Outgoing(encoding, new Body(bytes), Optional.empty(), Optional.empty());
  }

  /**
   * This message at {@code position} of a stream: the same bytes (and compressed form), for a
   * recipient whose stream numbers it differently (each user's inbox gives it its own offset).
   */
  public Outgoing at(Position position) {
    return new Outgoing(encoding, body, priority, Optional.of(position));
  }

  /**
   * Where this notification sits in its stream (a channel's or the recipient's inbox), for recovery
   * and SSE event ids; empty for RPC traffic and broadcasts.
   */
  public Optional<Position> position() {
    return position;
  }

  public Encoding encoding() {
    return encoding;
  }

  /** The message as it goes on the wire uncompressed; the caller must not modify it. */
  public byte[] bytes() {
    return body.bytes;
  }

  /** Present for notifications; RPC traffic (answers, calls) has none and is never dropped. */
  public Optional<Priority> priority() {
    return priority;
  }

  /** True when a slow device may lose this message (Low and Normal notifications). */
  public boolean droppable() {
    return priority.map(Priority::droppable).orElse(false);
  }

  public int size() {
    return body.bytes.length;
  }

  /**
   * When this message was made, on {@link System#nanoTime}'s scale: a notification's is when its
   * send was accepted and encoded (every copy and recipient shares it), for the delivery latency.
   */
  public long madeNanos() {
    return body.madeNanos;
  }

  /**
   * This message's bytes as {@code compression} makes them, made by the first caller and shared
   * with every later one: a fan-out to many devices compresses once. A caller that comes while
   * another is compressing waits for its result (shorter than compressing again). The result lives
   * as long as this message does. Every caller must pass the same compression; the server has one,
   * permessage-deflate without context takeover.
   *
   * @return the compressed bytes; the caller must not modify them
   */
  public byte[] compressed(UnaryOperator<byte[]> compression) {
    byte[] result = body.compressed;
    if (result == null) {
      synchronized (body.compressing) {
        result = body.compressed;
        if (result == null) {
          result = Objects.requireNonNull(compression.apply(body.bytes), "compressed bytes");
          body.compressed = result;
        }
      }
    }
    return result;
  }

  /**
   * This message as another wire form of the same content ({@code render} of its bytes), made by
   * the first caller and shared with every later one that names the same {@code form}, as {@link
   * #compressed} is: a fan-out to devices speaking another protocol renders each notification once
   * per protocol, not once per device (and compresses the rendered form once too). The result has
   * this message's encoding, priority and position.
   *
   * @param form names the wire form (one constant per protocol); equal forms must render alike
   * @param render the bytes of the form, from this message's bytes, which it must not modify
   */
  public Outgoing rendered(Object form, UnaryOperator<byte[]> render) {
    Objects.requireNonNull(form, "form");
    Objects.requireNonNull(render, "render");
    Map<Object, Body> forms = body.forms;
    if (forms == null) {
      synchronized (body.compressing) {
        forms = body.forms;
        if (forms == null) {
          forms = new ConcurrentHashMap<>(2);
          body.forms = forms;
        }
      }
    }
    Body other =
        forms.computeIfAbsent(form, f -> new Body(render.apply(body.bytes), body.madeNanos));
    return new Outgoing(encoding, other, priority, position);
  }

  @Override
  public String toString() {
    return "Outgoing["
        + encoding
        + ", "
        + body.bytes.length
        + " bytes"
        + priority.map(p -> ", " + p).orElse("")
        + position.map(p -> ", " + p.stream().key() + "@" + p.offset()).orElse("")
        + "]";
  }
}
