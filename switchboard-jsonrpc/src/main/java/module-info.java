/**
 * The JSON-RPC 2.0 wire model and its codecs: JSON on text frames, MessagePack on binary frames.
 *
 * <p>Knows nothing of sockets or threads: a {@link dev.switchboard.jsonrpc.Codec} turns whole
 * messages into bytes and back, and {@link dev.switchboard.jsonrpc.OpenRpc} describes a set of
 * methods.
 */
module dev.switchboard.jsonrpc {
  requires transitive com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jdk8;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires jackson.dataformat.msgpack;
  requires msgpack.core;

  exports dev.switchboard.jsonrpc;
}
