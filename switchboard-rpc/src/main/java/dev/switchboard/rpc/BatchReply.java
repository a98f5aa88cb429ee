package dev.switchboard.rpc;

import dev.switchboard.jsonrpc.Message;
import dev.switchboard.jsonrpc.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Gathers the answers to one incoming batch, whose elements run concurrently. Each element reports
 * exactly once (an answer, or null for none); the last report hands the answers, in completion
 * order, to the sink.
 */
final class BatchReply implements Consumer<Response> {

  private final AtomicInteger outstanding;
  private final List<Message> answers;
  private final Consumer<List<Message>> sink;

  BatchReply(int size, Consumer<List<Message>> sink) {
    this.outstanding = new AtomicInteger(size);
    this.answers = new ArrayList<>(size);
    this.sink = sink;
  }

  @Override
  public void accept(Response answer) {
    if (answer != null) {
      synchronized (answers) {
        answers.add(answer);
      }
    }
    if (outstanding.decrementAndGet() == 0) {
      List<Message> all;
      synchronized (answers) {
        all = List.copyOf(answers);
      }
      sink.accept(all);
    }
  }
}
