package dev.switchboard.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an HTTP connection that does nothing useful (see {@link ConnectionLimits}): one that sends
 * no request, sends its headers or body too slowly, idles between keep-alive requests, or waits too
 * long for its WebSocket upgrade to be answered. Once the upgrade succeeds it leaves the pipeline:
 * WebSocket keepalive takes over.
 *
 * <p>Two handlers share one state: {@code bytes}, first in the pipeline, sees a request's first
 * byte (and its writes bypass the HTTP encoder, so a timeout can answer 408 even where Vert.x has
 * not seen a request); {@code messages}, just after Vert.x's HTTP encoder, sees each request's head
 * and end and each response's end. Event-loop only, like the pipeline it lives in.
 */
final class HttpTimeouts {

  private static final Logger log = LoggerFactory.getLogger(HttpTimeouts.class);

  private static final String BYTES = "switchboard-timeouts-bytes";
  private static final String MESSAGES = "switchboard-timeouts-messages";
  private static final byte[] REQUEST_TIMEOUT = answer("408 Request Timeout");
  private static final byte[] UNAVAILABLE = answer("503 Service Unavailable");

  /** What the connection is waiting for, and so which timeout runs. */
  private enum Phase {
    /** The first request of a new connection: the header timeout. */
    FIRST_REQUEST,
    /** The next request on a keep-alive connection: the idle timeout. */
    NEXT_REQUEST,
    /** The rest of a request's headers: the header timeout from its first byte. */
    HEADERS,
    /** The rest of a request's body: the body timeout from the end of its headers. */
    BODY,
    /** The server's answer to a whole request: no timeout, it is ours to give. */
    ANSWERING,
    /** The answer to a WebSocket upgrade: the handshake timeout. */
    HANDSHAKE
  }

  /**
   * The connections of one event loop that are between requests (or still sending their headers),
   * oldest first: the ones {@link Connections} may close to make room. Linked through the
   * connections themselves, so that the moves every request makes allocate and hash nothing.
   * Event-loop only.
   */
  static final class IdleList {
    private HttpTimeouts oldest;
    private HttpTimeouts youngest;

    /** Puts {@code connection} at the young end (moving it there if it is listed already). */
    void add(HttpTimeouts connection) {
      remove(connection);
      connection.older = youngest;
      if (youngest != null) {
        youngest.younger = connection;
      } else {
        oldest = connection;
      }
      youngest = connection;
      connection.listed = true;
    }

    void remove(HttpTimeouts connection) {
      if (!connection.listed) {
        return;
      }
      if (connection.older != null) {
        connection.older.younger = connection.younger;
      } else {
        oldest = connection.younger;
      }
      if (connection.younger != null) {
        connection.younger.older = connection.older;
      } else {
        youngest = connection.older;
      }
      connection.older = null;
      connection.younger = null;
      connection.listed = false;
    }

    /** Takes the oldest connection off the list, if there is one. */
    Optional<HttpTimeouts> pollOldest() {
      HttpTimeouts first = oldest;
      if (first != null) {
        remove(first);
      }
      return Optional.ofNullable(first);
    }
  }

  private final ConnectionLimits limits;
  private final Runnable onTimeout;
  private final IdleList idle;

  /** Neighbours in {@link #idle}; {@link IdleList}'s to change. */
  private HttpTimeouts older;

  private HttpTimeouts younger;
  private boolean listed;

  /**
   * The shortest of the timeouts: no check is further away than this, so a new phase never needs an
   * earlier one.
   */
  private final long shortest;

  private Phase phase = Phase.FIRST_REQUEST;

  /**
   * When the current phase times out (on {@link #now()}); meaningless while {@link #timed} is
   * false.
   */
  private long deadline;

  private boolean timed;

  /**
   * The one pending check, if any. A phase change only moves {@link #deadline}; the check re-arms
   * itself for what is left. Scheduling and cancelling a timer at every phase (three times a
   * request) showed in a profile of the HTTP API: Netty's scheduled-task queue was the hottest code
   * of ours.
   */
  private ScheduledFuture<?> timer;

  /** Requests whose response has not ended (pipelined requests queue behind each other). */
  private int unanswered;

  /**
   * Whether a response head was written since the last request head: a timeout then cannot answer.
   */
  private boolean answerStarted;

  private ChannelHandlerContext raw;

  private HttpTimeouts(ConnectionLimits limits, Runnable onTimeout, IdleList idle) {
    this.limits = limits;
    this.shortest =
        Stream.of(
                limits.headerTimeout(),
                limits.bodyTimeout(),
                limits.idleTimeout(),
                limits.handshakeTimeout())
            .mapToLong(Duration::toNanos)
            .min()
            .orElseThrow();
    this.onTimeout = onTimeout;
    this.idle = idle;
  }

  /**
   * Puts the two handlers into a new HTTP/1 connection's pipeline (Vert.x's {@code httpEncoder}
   * must be there) and starts the header timeout. {@code onTimeout} runs once for each connection
   * closed by a timeout; {@code idle} holds the connection while it is not in the middle of an
   * exchange.
   */
  static void install(
      ChannelPipeline pipeline, ConnectionLimits limits, Runnable onTimeout, IdleList idle) {
    HttpTimeouts timeouts = new HttpTimeouts(limits, onTimeout, idle);
    pipeline.addFirst(BYTES, timeouts.new Bytes());
    pipeline.addAfter("httpEncoder", MESSAGES, timeouts.new Messages());
  }

  private void enter(Phase next) {
    phase = next;
    if (next == Phase.FIRST_REQUEST || next == Phase.NEXT_REQUEST) {
      idle.add(this);
    } else if (next != Phase.HEADERS) {
      idle.remove(
          this); // a connection still sending headers stays where it was: as old as its silence
    }
    Duration limit = limit(next);
    timed = !limit.isZero();
    if (timed) {
      deadline = now() + limit.toNanos();
      if (timer == null) {
        arm(limit.toNanos());
      } // else the pending check comes within the shortest timeout: no later than this deadline
    }
  }

  private Duration limit(Phase of) {
    return switch (of) {
      case FIRST_REQUEST, HEADERS -> limits.headerTimeout();
      case NEXT_REQUEST -> limits.idleTimeout();
      case BODY -> limits.bodyTimeout();
      case HANDSHAKE -> limits.handshakeTimeout();
      case ANSWERING -> Duration.ZERO;
    };
  }

  /** The event loop's clock (a test's {@code EmbeddedChannel} moves it by hand). */
  private long now() {
    return raw.executor() instanceof AbstractScheduledEventExecutor loop
        ? loop.ticker().nanoTime()
        : System.nanoTime();
  }

  /**
   * Checks again after {@code delayNanos}, or after the shortest timeout if that is sooner (see
   * {@link #enter}).
   */
  private void arm(long delayNanos) {
    timer =
        raw.executor().schedule(this::check, Math.min(delayNanos, shortest), TimeUnit.NANOSECONDS);
  }

  private void check() {
    timer = null;
    if (!timed || !raw.channel().isActive()) {
      return;
    }
    long left = deadline - now();
    if (left > 0) {
      arm(left);
    } else {
      expire();
    }
  }

  /**
   * Closes this connection, which is not in the middle of an exchange (it was in {@link IdleList}),
   * to make room for a new one. On its event loop.
   */
  void evict() {
    stop();
    log.debug(
        "{}: closing an idle connection to make room for a new one", raw.channel().remoteAddress());
    raw.close();
  }

  /**
   * Times this connection no more and takes it off the idle list: it is closing, or a WebSocket
   * now.
   */
  private void stop() {
    idle.remove(this);
    timed = false;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void expire() {
    Phase expired = phase;
    Duration limit = limit(expired);
    onTimeout.run();
    log.debug(
        "{}: closing: {} after {} ms",
        raw.channel().remoteAddress(),
        switch (expired) {
          case FIRST_REQUEST -> "no request";
          case NEXT_REQUEST -> "idle keep-alive connection";
          case HEADERS -> "request headers incomplete";
          case BODY -> "request body incomplete";
          case HANDSHAKE -> "WebSocket upgrade not answered";
          case ANSWERING -> "unreachable";
        },
        limit.toMillis());
    byte[] answer =
        switch (expired) {
          case FIRST_REQUEST, NEXT_REQUEST, ANSWERING -> new byte[0];
          case HEADERS, BODY -> answerStarted ? new byte[0] : REQUEST_TIMEOUT;
          case HANDSHAKE -> answerStarted ? new byte[0] : UNAVAILABLE;
        };
    // Written below the HTTP encoder: Vert.x may not even know of this request.
    raw.writeAndFlush(Unpooled.wrappedBuffer(answer)).addListener(ChannelFutureListener.CLOSE);
  }

  private static byte[] answer(String status) {
    return ("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static boolean isUpgrade(HttpRequest request) {
    return request
        .headers()
        .containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  /** First in the pipeline: raw bytes. */
  private final class Bytes extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      raw = ctx;
      enter(Phase.FIRST_REQUEST);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf && (phase == Phase.FIRST_REQUEST || phase == Phase.NEXT_REQUEST)) {
        answerStarted = false; // every earlier request is answered: this one has no answer yet
        enter(Phase.HEADERS);
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      stop();
      ctx.fireChannelInactive();
    }
  }

  /** After the HTTP codec: requests in, responses out. */
  private final class Messages extends ChannelDuplexHandler {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request) {
        unanswered++;
        answerStarted = false;
        enter(isUpgrade(request) ? Phase.HANDSHAKE : Phase.BODY);
      }
      if (msg instanceof LastHttpContent && phase == Phase.BODY) {
        enter(
            unanswered > 0
                ? Phase.ANSWERING
                : Phase.NEXT_REQUEST); // 0: answered early, before the end
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof HttpResponse response) {
        answerStarted = true;
        if (response.status().code() == 101) {
          // A WebSocket from now on: its keepalive and close grace take over.
          stop();
          ctx.pipeline().remove(BYTES);
          ctx.pipeline().remove(this);
          ctx.write(msg, promise);
          return;
        }
      }
      if (msg instanceof LastHttpContent && unanswered > 0) {
        unanswered--;
        if (unanswered == 0 && (phase == Phase.ANSWERING || phase == Phase.HANDSHAKE)) {
          enter(Phase.NEXT_REQUEST);
        }
      }
      ctx.write(msg, promise);
    }
  }
}
