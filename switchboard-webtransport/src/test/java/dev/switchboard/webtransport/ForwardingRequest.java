package dev.switchboard.webtransport;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link SessionRequest} passing everything to another, for tests that watch what an acceptor
 * does.
 */
class ForwardingRequest implements SessionRequest {
  private final SessionRequest delegate;

  ForwardingRequest(SessionRequest delegate) {
    this.delegate = delegate;
  }

  @Override
  public String path() {
    return delegate.path();
  }

  @Override
  public String query() {
    return delegate.query();
  }

  @Override
  public String authority() {
    return delegate.authority();
  }

  @Override
  public java.net.SocketAddress remoteAddress() {
    return delegate.remoteAddress();
  }

  @Override
  public Optional<String> origin() {
    return delegate.origin();
  }

  @Override
  public Map<String, List<String>> headers() {
    return delegate.headers();
  }

  @Override
  public WebTransportSession accept() {
    return delegate.accept();
  }

  @Override
  public void refuse(int status, String reason) {
    delegate.refuse(status, reason);
  }
}
