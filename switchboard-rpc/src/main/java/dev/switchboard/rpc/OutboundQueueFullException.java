package dev.switchboard.rpc;

/** The transport's bounded outbound queue is full: the peer reads slower than we write. */
public final class OutboundQueueFullException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public OutboundQueueFullException(String connection) {
    super("the outbound queue of " + connection + " is full: the peer is not reading fast enough");
  }
}
