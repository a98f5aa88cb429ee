package dev.switchboard.client;

import java.net.http.HttpClient;
import java.util.concurrent.Executors;

/** One HttpClient for all connections that bring none: its callbacks run on virtual threads. */
final class SharedHttpClient {

  private SharedHttpClient() {}

  static HttpClient get() {
    return Holder.CLIENT;
  }

  private static final class Holder {
    static final HttpClient CLIENT = HttpClient.newBuilder()
        .executor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("switchboard-client-", 0).factory()))
        .build();
  }
}
