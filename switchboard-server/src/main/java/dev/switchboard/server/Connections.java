package dev.switchboard.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandshaker;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpServerConnection;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every TCP connection as it is accepted, before it has sent a byte: counted against the cap on
 * open sockets (at the cap it takes the place of the oldest idle connection, or is closed at once
 * when none is idle), timed by {@link HttpTimeouts}, and, when WebSocket compression is on, given
 * our permessage-deflate handshaker ({@link PerMessageDeflate}). Also ends an exchange without
 * reading the rest of its body ({@link #answerThenClose}). Thread-safe.
 */
final class Connections {

  private static final Logger log = LoggerFactory.getLogger(Connections.class);

  /** At most one line a minute about refused sockets: a flood must not also flood the log. */
  private static final long LOG_EVERY_NANOS = 60_000_000_000L;

  /**
   * How long an early answer has to reach a peer that is still sending before its connection is
   * reset.
   */
  static final long LINGER_MILLIS = 1000;

  private final ConnectionLimits limits;
  private final int maxOpen;
  private final WebSocketCompression compression;

  /** permessage-deflate as {@link PerMessageDeflate} negotiates it; used when compression is on. */
  private final WebSocketServerExtensionHandshaker deflate;

  private final ServerCounters counters;
  private final AtomicInteger open = new AtomicInteger();

  /**
   * Per event loop (each touches only its own): connections not in the middle of an exchange,
   * oldest first.
   */
  private final ThreadLocal<HttpTimeouts.IdleList> idle =
      ThreadLocal.withInitial(HttpTimeouts.IdleList::new);

  private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

  Connections(ServerConfig config, ServerCounters counters) {
    this.limits = config.connectionLimits();
    this.maxOpen = limits.effectiveMaxOpenSockets(fileLimit());
    this.compression = config.webSocketCompression();
    this.deflate =
        PerMessageDeflate.handshaker(
            config.webSocketCompression().minBytes(), config.rpc().maxMessageBytes());
    this.counters = counters;
  }

  /** The cap on open sockets in force. */
  int maxOpen() {
    return maxOpen;
  }

  /** Sockets open now. */
  int open() {
    return open.get();
  }

  /** Vert.x's connection handler: runs on the connection's event loop as soon as it is accepted. */
  void opened(HttpConnection connection) {
    Channel channel = ((HttpServerConnection) connection).channelHandlerContext().channel();
    if (open.incrementAndGet() > maxOpen && !evictIdle()) {
      open.decrementAndGet();
      counters.refusedSockets.increment();
      channel.close();
      long now = System.nanoTime();
      long last = lastLogged.get();
      if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
        log.warn(
            "refusing connections: {} sockets are open, the limit limits.max_open_sockets; {} refused so far",
            maxOpen,
            counters.refusedSockets.sum());
      }
      return;
    }
    channel.closeFuture().addListener(f -> open.decrementAndGet());
    ChannelPipeline pipeline = channel.pipeline();
    HttpTimeouts.install(pipeline, limits, counters.timedOutConnections::increment, idle.get());
    if (compression.enabled() && pipeline.get("webSocketExtensionHandler") != null) {
      // Vert.x's handshaker inflates without a bound and deflates every message for every
      // connection; ours stops inflating at the message size limit, leaves messages under the
      // minimum uncompressed, and deflates a message sent to many devices once.
      pipeline.replace(
          "webSocketExtensionHandler",
          "webSocketExtensionHandler",
          new WebSocketServerExtensionHandler(deflate));
    }
  }

  /**
   * Makes room for a new connection by closing the oldest idle one of this event loop (connections
   * spread evenly over the loops): one that has not sent a request yet, is still sending its
   * headers, or waits between keep-alive requests. WebSockets and exchanges in progress are never
   * closed. False when there is none.
   */
  private boolean evictIdle() {
    Optional<HttpTimeouts> victim = idle.get().pollOldest();
    victim.ifPresent(
        connection -> {
          connection
              .evict(); // its socket closes on this event loop: the count drops back to the cap
          counters.evictedSockets.increment();
        });
    return victim.isPresent();
  }

  /**
   * Sends {@code answer} on a connection whose request body is not wholly read, then ends it
   * without reading the rest: reading stops at once (whatever still arrives is dropped unread,
   * since Vert.x turns reading back on after a response), the answer is written, the connection
   * half-closes, and it is reset {@link #LINGER_MILLIS} later (at once, a peer still sending could
   * lose the answer to the reset before reading it). On the event loop.
   */
  static void answerThenClose(HttpConnection connection, Supplier<Future<Void>> answer) {
    Channel channel = ((HttpServerConnection) connection).channelHandlerContext().channel();
    channel.config().setAutoRead(false);
    channel
        .pipeline()
        .addFirst(
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
                ctx.channel().config().setAutoRead(false);
              }
            });
    answer
        .get()
        .onComplete(
            written -> {
              if (channel instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
              }
              channel
                  .eventLoop()
                  .schedule(
                      () -> {
                        channel.config().setOption(ChannelOption.SO_LINGER, 0);
                        channel.close();
                      },
                      LINGER_MILLIS,
                      TimeUnit.MILLISECONDS);
            });
  }

  /** The process's limit on open files, or a conservative 4096 where the JVM cannot tell. */
  private static long fileLimit() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return 4096;
  }
}
