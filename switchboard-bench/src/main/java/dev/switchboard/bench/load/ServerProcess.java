package dev.switchboard.bench.load;

import dev.switchboard.bench.ProcNetTcp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The process of a server on this machine, found from the TCP port it listens on (Linux: {@code
 * /proc/net/tcp*} gives the listening socket's inode, {@code /proc/<pid>/fd} the process holding
 * it), so that a run can report the server's CPU per delivery. Empty where that cannot be told: a
 * remote server, another operating system, a process of another user.
 */
final class ServerProcess {
  private static final String LISTEN = "0A";

  private ServerProcess() {}

  static Optional<ProcessHandle> find(String host, int port) {
    if (!isLocal(host)) {
      return Optional.empty();
    }
    Optional<String> inode = listeningInode(port);
    if (inode.isEmpty()) {
      return Optional.empty();
    }
    String socket = "socket:[" + inode.get() + "]";
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        if (holds(proc.resolve("fd"), socket)) {
          return ProcessHandle.of(Long.parseLong(proc.getFileName().toString()));
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The inode of the socket listening on {@code port} (any address), from /proc/net/tcp{,6}. */
  static Optional<String> listeningInode(int port) {
    String suffix = ProcNetTcp.portSuffix(port);
    return ProcNetTcp.find(f -> f.length > 9 && f[1].endsWith(suffix) && f[3].equals(LISTEN))
        .map(f -> f[9]);
  }

  private static boolean holds(Path fds, String socket) {
    try (DirectoryStream<Path> links = Files.newDirectoryStream(fds)) {
      for (Path link : links) {
        try {
          if (Files.readSymbolicLink(link).toString().equals(socket)) {
            return true;
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      return false; // not ours to read
    }
    return false;
  }

  private static boolean isLocal(String host) {
    try {
      InetAddress address = InetAddress.getByName(host);
      return address.isLoopbackAddress() || address.isAnyLocalAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
