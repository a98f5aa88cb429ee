package dev.switchboard.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback that a test can sever: every connection through it is cut at once, as a
 * network drop would, while the server on the other side stays up; and it can stay down (refusing
 * connections) until healed.
 */
final class SeverableProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int upstreamPort;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile boolean down;

  SeverableProxy(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("proxy-accept").start(this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (down) {
        closeQuietly(client); // the network is down: refused
        continue;
      }
      Socket server = new Socket();
      try {
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort));
      } catch (IOException e) {
        // The server behind is gone (killed): this connection is refused, the next may find it.
        closeQuietly(client);
        closeQuietly(server);
        continue;
      }
      open.add(client);
      open.add(server);
      Thread.ofVirtual().start(() -> pump(client, server));
      Thread.ofVirtual().start(() -> pump(server, client));
    }
  }

  private static void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 << 10];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // severed or closed
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  /** Cuts every connection and refuses new ones until {@link #heal()}. */
  void goDown() {
    down = true;
    sever();
  }

  /** Lets connections through again. */
  void heal() {
    down = false;
  }

  /** Cuts every connection through the proxy; new ones may come. */
  void sever() {
    for (Socket socket : open) {
      closeQuietly(socket);
      open.remove(socket); // not clear(): a connection accepted meanwhile stays severable
    }
  }

  @Override
  public void close() {
    sever();
    closeQuietly(listener);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // nothing to do
    }
  }
}
