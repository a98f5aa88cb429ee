package dev.switchboard.rpc;

import dev.switchboard.jsonrpc.Codec;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.jsonrpc.Message;
import dev.switchboard.jsonrpc.Response;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a connection's answers, in the encoding of the request they answer. Whatever happens, a
 * request gets a well-formed answer: one the encoding cannot carry, or one over the size limit,
 * becomes -32603 under its id, and in a batch only that element does. Any thread.
 */
final class Answers {

  private static final Logger log = LoggerFactory.getLogger(Answers.class);

  private final RealRpcConnection connection;

  Answers(RealRpcConnection connection) {
    this.connection = connection;
  }

  /** Sends one answer; null (no answer) and a closed connection send nothing. */
  void send(Codec codec, Response response) {
    if (response == null || !connection.isOpen()) {
      return;
    }
    byte[] bytes;
    try {
      bytes = codec.encode(response);
    } catch (RuntimeException | StackOverflowError e) {
      bytes = codec.encode(encodable(codec, response));
    }
    int limit = connection.config().maxMessageBytes();
    if (bytes.length > limit) {
      log.warn(
          "{}: answer to {} is {} bytes, over the limit of {}; sending an error instead",
          connection.describe(),
          response.id(),
          bytes.length,
          limit);
      bytes =
          codec.encode(
              RealRpcConnection.failure(
                  response.id(),
                  ErrorObject.INTERNAL_ERROR,
                  "Internal error: the result is "
                      + bytes.length
                      + " bytes; the limit is "
                      + limit));
    }
    write(codec, bytes);
  }

  /** Sends the answers to one batch as one array; nothing at all for a batch of notifications. */
  void sendBatch(Codec codec, List<Message> responses) {
    if (responses.isEmpty() || !connection.isOpen()) {
      return;
    }
    byte[] bytes;
    try {
      bytes = codec.encodeBatch(responses);
    } catch (RuntimeException | StackOverflowError e) {
      // One answer the encoding cannot carry (say a decimal MessagePack cannot hold) must not cost
      // the others.
      bytes =
          codec.encodeBatch(responses.stream().map(r -> encodable(codec, (Response) r)).toList());
    }
    write(codec, bytes);
  }

  private void write(Codec codec, byte[] bytes) {
    if (!connection.transport().send(codec.encoding(), bytes) && connection.isOpen()) {
      log.warn("{}: an answer was dropped: the outbound queue is full", connection.describe());
    }
  }

  /**
   * The response itself, or a -32603 under its id when {@code codec} cannot encode it (a
   * StackOverflowError included: a user-built result may nest without bound). Only used once an
   * encoding failed.
   */
  private Response encodable(Codec codec, Response response) {
    try {
      codec.encode(response);
      return response;
    } catch (RuntimeException | StackOverflowError e) {
      log.warn(
          "{}: cannot encode the answer to {}: {}",
          connection.describe(),
          response.id(),
          e.toString());
      return RealRpcConnection.failure(
          response.id(),
          ErrorObject.INTERNAL_ERROR,
          "Internal error: the answer cannot be encoded as " + codec.encoding());
    }
  }
}
