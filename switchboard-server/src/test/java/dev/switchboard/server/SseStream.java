package dev.switchboard.server;

import static dev.switchboard.server.PushFixture.WAIT;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * An SSE device as a test sees it: {@code GET /sse} with the JDK's client, every event parsed as
 * the WHATWG spec reads the stream (fields up to a blank line; {@code id} kept even by an event
 * without data) and recorded in arrival order, and the browser's {@code lastEventId} kept as a
 * browser keeps it. Each stream has its own client, so {@link #close} really closes its connection.
 */
final class SseStream implements AutoCloseable {

  /**
   * One event as the client read it.
   *
   * @param type the {@code event} field; empty when there was none
   * @param id the {@code id} field, when there was one
   * @param data the {@code data} field, when there was one
   * @param retry the {@code retry} field, when there was one
   */
  record Event(String type, Optional<String> id, Optional<String> data, OptionalLong retry) {
    JsonNode json() {
      return PushHttp.parse(data.orElseThrow(() -> new AssertionError(this + " has no data")));
    }

    /** An event that only sets the last event id (a browser dispatches nothing for it). */
    boolean idOnly() {
      return type.isEmpty() && data.isEmpty() && id.isPresent();
    }

    boolean is(String eventType) {
      return type.equals(eventType);
    }

    /** A notification of {@code eventType}. */
    boolean notification(String eventType) {
      return is("notification") && json().path("event_type").asText().equals(eventType);
    }
  }

  private final String name;
  private final HttpClient http;
  private final HttpResponse<Stream<String>> response;

  /** Guarded by {@code this}: the reader appends, tests read and wait. */
  private final List<Event> events = new ArrayList<>();

  private String lastEventId = "";
  private boolean ended;

  /** The first event {@link #next} has not returned yet. */
  private int read;

  private SseStream(String name, HttpClient http, HttpResponse<Stream<String>> response) {
    this.name = name;
    this.http = http;
    this.response = response;
  }

  /** The answer to a {@code GET /sse} that was not a stream. */
  record Refused(int status, String body) {
    JsonNode json() {
      return PushHttp.parse(body);
    }

    String code() {
      return json().path("error").path("code").asText();
    }

    String message() {
      return json().path("error").path("message").asText();
    }
  }

  /** {@code GET uri} with {@code headers}: a stream (200) or a refusal. */
  static Object request(String name, URI uri, Map<String, String> headers) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    headers.forEach(request::header);
    HttpResponse<Stream<String>> response;
    try {
      response =
          http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
              .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      http.shutdownNow();
      throw new AssertionError(name + ": no answer to GET " + uri + ": " + e, e);
    }
    if (response.statusCode() != 200) {
      try (Stream<String> lines = response.body()) {
        return new Refused(response.statusCode(), String.join("\n", lines.toList()));
      } finally {
        http.shutdownNow();
      }
    }
    SseStream stream = new SseStream(name, http, response);
    Thread.ofVirtual().name("sse-reader-" + name).start(stream::readAll);
    return stream;
  }

  HttpHeaders headers() {
    return response.headers();
  }

  private void readAll() {
    String type = "";
    Optional<String> id = Optional.empty();
    Optional<String> data = Optional.empty();
    OptionalLong retry = OptionalLong.empty();
    try (Stream<String> lines = response.body()) {
      for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
        String line = it.next();
        if (line.isEmpty()) {
          if (!type.isEmpty() || id.isPresent() || data.isPresent() || retry.isPresent()) {
            add(new Event(type, id, data, retry));
          }
          type = "";
          id = Optional.empty();
          data = Optional.empty();
          retry = OptionalLong.empty();
          continue;
        }
        if (line.startsWith(":")) {
          continue;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        switch (field) {
          case "event" -> type = value;
          case "id" -> id = Optional.of(value);
          case "data" -> data = Optional.of(data.map(d -> d + "\n").orElse("") + value);
          case "retry" -> retry = OptionalLong.of(Long.parseLong(value));
          default -> throw new AssertionError(name + ": unknown field in line " + line);
        }
      }
    } catch (UncheckedIOException e) {
      // the connection ended; recorded below
    } finally {
      synchronized (this) {
        ended = true;
        notifyAll();
      }
    }
  }

  private synchronized void add(Event event) {
    events.add(event);
    event.id().ifPresent(id -> lastEventId = id);
    notifyAll();
  }

  /** The browser's last event id: the latest {@code id} field read. */
  synchronized String lastEventId() {
    return lastEventId;
  }

  /** Every event read so far, in order. */
  synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** The notification events read so far, without {@link PushFixture#MARKER}s, as event types. */
  synchronized List<String> eventTypes() {
    return events.stream()
        .filter(e -> e.is("notification"))
        .map(e -> e.json().path("event_type").asText())
        .filter(type -> !type.startsWith(PushFixture.MARKER))
        .toList();
  }

  /** The notification events read so far, without {@link PushFixture#MARKER}s, in order. */
  synchronized List<Event> notifications() {
    return events.stream()
        .filter(e -> e.is("notification"))
        .filter(e -> !e.json().path("event_type").asText().startsWith(PushFixture.MARKER))
        .toList();
  }

  /**
   * The event types of the notifications read so far from one stream, in order: {@code "~"} for the
   * user's inbox (notifications without a {@code channel}), else the channel's name.
   */
  synchronized List<String> eventTypes(String stream) {
    return notifications().stream()
        .filter(e -> e.json().path("channel").asText("~").equals(stream))
        .map(e -> e.json().path("event_type").asText())
        .toList();
  }

  /** The events of {@code type} read so far. */
  synchronized List<Event> events(String type) {
    return events.stream().filter(e -> e.is(type)).toList();
  }

  /** The next event not yet returned, within {@link PushFixture#WAIT}. */
  synchronized Event next() {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (read >= events.size()) {
      long left = deadline - System.nanoTime();
      if (ended) {
        throw new AssertionError(name + ": the stream ended; events: " + events);
      }
      if (left <= 0) {
        throw new AssertionError(name + ": no event within " + WAIT + "; events: " + events);
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    return events.get(read++);
  }

  /** Returns the next event that matches {@code wanted}, passing over the others. */
  Event await(Predicate<Event> wanted, String what) {
    while (true) {
      Event event;
      try {
        event = next();
      } catch (AssertionError e) {
        throw new AssertionError(name + ": waiting for " + what + ": " + e.getMessage(), e);
      }
      if (wanted.test(event)) {
        return event;
      }
    }
  }

  /** The next notification of {@code eventType}: its params. */
  JsonNode awaitNotification(String eventType) {
    return await(e -> e.notification(eventType), "notification " + eventType).json();
  }

  /** Waits until the server ended the stream; returns the events not yet returned. */
  synchronized List<Event> awaitEnd() {
    long deadline = System.nanoTime() + WAIT.toNanos() * 2;
    while (!ended) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(name + ": the stream did not end; events: " + events);
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    List<Event> rest = List.copyOf(events.subList(read, events.size()));
    read = events.size();
    return rest;
  }

  synchronized boolean isOpen() {
    return !ended;
  }

  String name() {
    return name;
  }

  /** Closes the connection, as a browser tab that goes away. */
  @Override
  public void close() {
    http.shutdownNow();
  }

  @Override
  public String toString() {
    return name;
  }
}
