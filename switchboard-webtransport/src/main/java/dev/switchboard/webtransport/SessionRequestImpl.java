package dev.switchboard.webtransport;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** A CONNECT waiting for the acceptor's answer. Thread-safe: the answer is claimed atomically. */
final class SessionRequestImpl implements SessionRequest {
  private final SessionImpl session;
  private final String path;
  private final String query;
  private final String authority;
  private final Map<String, List<String>> headers;
  private final java.net.SocketAddress remote;
  private final AtomicBoolean answered = new AtomicBoolean();

  SessionRequestImpl(
      SessionImpl session,
      String path,
      String query,
      String authority,
      Map<String, List<String>> headers,
      java.net.SocketAddress remote) {
    this.remote = remote;
    this.session = session;
    this.path = path;
    this.query = query;
    this.authority = authority;
    this.headers = headers;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String query() {
    return query;
  }

  @Override
  public String authority() {
    return authority;
  }

  @Override
  public java.net.SocketAddress remoteAddress() {
    return remote;
  }

  @Override
  public Optional<String> origin() {
    return Optional.ofNullable(headers.get("origin")).map(List::getFirst);
  }

  @Override
  public Map<String, List<String>> headers() {
    return headers;
  }

  @Override
  public WebTransportSession accept() {
    claim();
    session.accept();
    return session;
  }

  @Override
  public void refuse(int status, String reason) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("refusal status must be 400..599: " + status);
    }
    claim();
    session.refuse(status, reason == null ? "" : reason);
  }

  /** Refuses unless already answered. */
  void refuseQuietly(int status, String reason) {
    if (answered.compareAndSet(false, true)) {
      session.refuse(status, reason);
    }
  }

  private void claim() {
    if (!answered.compareAndSet(false, true)) {
      throw new IllegalStateException("session request " + session.id() + " was already answered");
    }
  }
}
