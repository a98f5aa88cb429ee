package dev.switchboard.auth;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One HTTP GET of a JSON Web Key Set, bounded in time as a whole (connect, headers and body). */
final class JwksFetcher {

  private final URI url;
  private final HttpClient client;
  private final Duration timeout;

  JwksFetcher(URI url, Optional<HttpClient> client, Duration timeout) {
    this.url = url;
    this.timeout = timeout;
    this.client =
        client.orElseGet(
            () ->
                HttpClient.newBuilder()
                    .connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build());
  }

  /**
   * Fetches and parses the key set.
   *
   * @throws IOException with a message fit to log, on any failure, a timeout or an interrupt
   *     included
   */
  JWKSet fetch() throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Accept", "application/json")
            .GET()
            .build();
    CompletableFuture<HttpResponse<String>> exchange =
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> response;
    try {
      response = exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new IOException("no answer within " + Settings.show(timeout) + " s");
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new IOException(
          cause.getClass().getSimpleName()
              + (cause.getMessage() == null ? "" : ": " + cause.getMessage()),
          cause);
    }
    if (response.statusCode() != 200) {
      throw new IOException("HTTP status " + response.statusCode());
    }
    try {
      return JWKSet.parse(response.body());
    } catch (ParseException e) {
      throw new IOException("not a JWK set: " + e.getMessage(), e);
    }
  }
}
