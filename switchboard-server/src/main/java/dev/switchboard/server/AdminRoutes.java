package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin page: {@code GET /admin} and its script and style (classpath resources under {@code
 * admin/}, no build step, nothing from another origin), and the JSON API it polls, {@link
 * AdminApi}, under {@code /admin/api/}:
 *
 * <pre>
 * GET  /admin/api/overview                   stats, tenants, channels, users, devices, events
 * GET  /admin/api/history?channel=&amp;tenant=   a channel's recent notifications
 * POST /admin/api/send                       {channel, event_type, payload, tenant?}
 * POST /admin/api/devices/{id}/disconnect    closes the device with 4009
 * </pre>
 *
 * <p>{@link AdminAccess} decides: off (404 for every path, the page too), a token needed for the
 * API (401; the page itself asks for the token), or open. The API's answers are computed on a
 * virtual thread. Thread-safe.
 */
final class AdminRoutes {

  private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);

  static final String PAGE = "/admin";
  private static final String API = "/admin/api/";
  private static final String DEVICES = API + "devices/";

  private final AdminAccess access;
  private final AdminApi api;
  private final Executor handlers;
  private final int maxBodyBytes;
  private final boolean development;
  private final Map<String, Asset> assets;

  /** A static file of the page. */
  private record Asset(String contentType, Buffer bytes) {}

  AdminRoutes(ServerConfig config, AdminApi api, Executor handlers) {
    this.access = new AdminAccess(config);
    this.api = api;
    this.handlers = handlers;
    this.maxBodyBytes = config.http().maxBodyBytes();
    this.development = config.development();
    Asset page = asset("admin.html", "text/html; charset=utf-8");
    this.assets =
        Map.of(
            PAGE,
            page,
            PAGE + "/",
            page,
            PAGE + "/admin.js",
            asset("admin.js", "text/javascript; charset=utf-8"),
            PAGE + "/admin.css",
            asset("admin.css", "text/css; charset=utf-8"));
  }

  /** Answers {@code request} when its path is the admin page's; false when it is not. */
  boolean handle(HttpServerRequest request) {
    String path = request.path();
    if (!path.equals(PAGE) && !path.startsWith(PAGE + "/")) {
      return false;
    }
    HttpServerResponse response = request.response();
    response
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer");
    AdminAccess.Verdict verdict =
        access.check(
            Optional.ofNullable(request.getHeader(AdminAccess.HEADER)),
            Optional.ofNullable(request.getHeader("Authorization")));
    if (verdict == AdminAccess.Verdict.OFF) {
      JsonHttp.refuseEarly(
          request,
          response,
          ApiException.notFound("no such endpoint: " + request.method().name() + " " + path));
      return true;
    }
    Asset asset = assets.get(path);
    if (asset != null && isGet(request)) {
      response
          .putHeader("Content-Type", asset.contentType())
          .putHeader(
              "Content-Security-Policy",
              "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
          .end(asset.bytes());
      return true;
    }
    if (verdict == AdminAccess.Verdict.REFUSED) {
      log.debug(
          "{}: admin request to {} refused: wrong or no token", request.remoteAddress(), path);
      JsonHttp.refuseEarly(
          request,
          response,
          ApiException.unauthorized(
              "the admin API needs the admin token (admin.token) in " + AdminAccess.HEADER));
      return true;
    }
    route(request, response, path);
    return true;
  }

  private void route(HttpServerRequest request, HttpServerResponse response, String path) {
    if (path.equals(API + "overview") && isGet(request)) {
      answer(response, api::overview);
    } else if (path.equals(API + "history") && isGet(request)) {
      JsonHttp.queryOrRefuse(request, response)
          .ifPresent(query -> answer(response, () -> api.history(query)));
    } else if (path.equals(API + "send") && request.method() == HttpMethod.POST) {
      JsonHttp.readBody(
          request,
          response,
          maxBodyBytes,
          body -> answer(response, () -> api.send(JsonHttp.parse(body, "a JSON object"))));
    } else if (path.startsWith(DEVICES)
        && path.endsWith("/disconnect")
        && request.method() == HttpMethod.POST) {
      String id = path.substring(DEVICES.length(), path.length() - "/disconnect".length());
      answer(response, () -> api.disconnect(id));
    } else {
      JsonHttp.refuseEarly(
          request,
          response,
          ApiException.notFound("no such endpoint: " + request.method().name() + " " + path));
    }
  }

  /** Computes {@code answer} on a virtual thread and sends it, or its failure. */
  private void answer(HttpServerResponse response, Supplier<JsonNode> answer) {
    handlers.execute(
        () -> {
          try {
            JsonHttp.send(response, 200, answer.get());
          } catch (ApiException e) {
            JsonHttp.fail(response, e);
          } catch (RuntimeException e) {
            log.error("admin API: unexpected failure", e);
            ObjectNode details = Json.nodes().objectNode().put("exception", e.toString());
            JsonHttp.fail(
                response,
                new ApiException(
                    500,
                    "INTERNAL_ERROR",
                    "internal error",
                    development ? Optional.of(details) : Optional.empty()));
          }
        });
  }

  private static boolean isGet(HttpServerRequest request) {
    return request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD;
  }

  private static Asset asset(String name, String contentType) {
    try (InputStream in = AdminRoutes.class.getResourceAsStream("/admin/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the admin page's " + name + " is not on the classpath");
      }
      return new Asset(contentType, Buffer.buffer(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the admin page's " + name, e);
    }
  }
}
