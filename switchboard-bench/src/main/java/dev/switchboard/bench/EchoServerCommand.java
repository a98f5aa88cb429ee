package dev.switchboard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code BenchMain echo-server}: the server of the raw WebSocket baselines, run in a child JVM by
 * {@link RawEchoTarget} and {@link WsServer}. By default a Vert.x WebSocket server with the socket
 * options Switchboard's server uses, that sends every text message straight back: the least work
 * the same stack can do per message. Like Switchboard by default ({@code websocket.compression}
 * false) it declines permessage-deflate, which Vert.x would otherwise accept; with {@code
 * -Dswitchboard.bench.echoCompression=true} (pass it with {@code --server-jvm-arg}; a diagnosis, to
 * see what accepting it costs the stack) it accepts it.
 *
 * <p>With {@code --netty}, the same echo on Netty alone ({@link NettyEchoServer}), the layer under
 * Vert.x: what the stack would allow without Vert.x's WebSocket code; {@code --flush-each} makes it
 * flush after every answer instead of once per read batch.
 */
@Command(
    name = "echo-server",
    hidden = true,
    description = "Child process of 'rpc': a Vert.x (or, with --netty, a Netty) WebSocket echo.")
final class EchoServerCommand implements Callable<Integer> {

  private static final boolean COMPRESSION =
      Boolean.getBoolean("switchboard.bench.echoCompression");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", defaultValue = "0", description = "Port (0: any free one).")
  int port;

  @Option(names = "--netty", description = "A Netty WebSocket echo instead of the Vert.x one.")
  boolean netty;

  @Option(
      names = "--flush-each",
      description = "With --netty: flush after every answer, not once per read batch.")
  boolean flushEach;

  /**
   * The words that start this command (without {@code --port}) for {@code system}, one of the echo
   * systems.
   *
   * @throws IllegalArgumentException for a system that is not an echo
   */
  static List<String> command(SystemId system) {
    return switch (system) {
      case RAW -> List.of("echo-server");
      case NETTY -> List.of("echo-server", "--netty");
      case NETTY_FLUSH_EACH -> List.of("echo-server", "--netty", "--flush-each");
      case SWITCHBOARD, RPC_WEBSOCKETS ->
          throw new IllegalArgumentException(system.key() + " is not an echo server");
    };
  }

  @Override
  public Integer call() throws Exception {
    if (flushEach && !netty) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--flush-each needs --netty (Vert.x decides when it flushes)");
    }
    return netty ? callNetty() : callVertx();
  }

  private Integer callNetty() throws Exception {
    NettyEchoServer.Flush flush =
        flushEach ? NettyEchoServer.Flush.PER_FRAME : NettyEchoServer.Flush.PER_READ_BATCH;
    int eventLoops = Math.max(1, Runtime.getRuntime().availableProcessors());
    try (NettyEchoServer server =
        NettyEchoServer.start(SwitchboardTarget.HOST, port, eventLoops, flush)) {
      ChildJvm.announceAndAwaitParent(server.port());
    }
    return 0;
  }

  private Integer callVertx() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpServerOptions options =
          new HttpServerOptions()
              .setHost(SwitchboardTarget.HOST)
              .setPort(port)
              .setMaxWebSocketFrameSize(NettyEchoServer.MAX_MESSAGE_BYTES)
              .setMaxWebSocketMessageSize(NettyEchoServer.MAX_MESSAGE_BYTES)
              .setTcpNoDelay(true)
              .setPerFrameWebSocketCompressionSupported(false)
              .setPerMessageWebSocketCompressionSupported(COMPRESSION);
      HttpServer server =
          vertx
              .createHttpServer(options)
              .webSocketHandler(socket -> socket.textMessageHandler(socket::writeTextMessage))
              .listen()
              .await(30, TimeUnit.SECONDS);
      ChildJvm.announceAndAwaitParent(server.actualPort());
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    return 0;
  }
}
