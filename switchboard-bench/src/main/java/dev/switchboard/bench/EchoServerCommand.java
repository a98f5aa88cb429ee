package dev.switchboard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code BenchMain echo-server}: the server of the raw WebSocket baseline, run in a child JVM by
 * {@link RawEchoTarget}. A Vert.x WebSocket server with the socket options Switchboard's server
 * uses, that sends every text message straight back: the least work the same stack can do per
 * message. Like Switchboard by default ({@code websocket.compression} false) it declines
 * permessage-deflate, which Vert.x would otherwise accept; with {@code
 * -Dswitchboard.bench.echoCompression=true} (pass it with {@code --server-jvm-arg}; a diagnosis, to
 * see what accepting it costs the stack) it accepts it.
 */
@Command(
    name = "echo-server",
    hidden = true,
    description = "Child process of 'rpc': a Vert.x WebSocket echo.")
final class EchoServerCommand implements Callable<Integer> {

  /** Switchboard's default {@code maxMessageBytes}, so both servers accept the same frames. */
  private static final int MAX_MESSAGE_BYTES = 1 << 20;

  private static final boolean COMPRESSION =
      Boolean.getBoolean("switchboard.bench.echoCompression");

  @Option(names = "--port", defaultValue = "0", description = "Port (0: any free one).")
  int port;

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpServerOptions options =
          new HttpServerOptions()
              .setHost(SwitchboardTarget.HOST)
              .setPort(port)
              .setMaxWebSocketFrameSize(MAX_MESSAGE_BYTES)
              .setMaxWebSocketMessageSize(MAX_MESSAGE_BYTES)
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
