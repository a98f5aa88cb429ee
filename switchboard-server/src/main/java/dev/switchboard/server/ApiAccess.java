package dev.switchboard.server;

import dev.switchboard.auth.ApiKey;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.jsonrpc.Json;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.Optional;

/**
 * Who may call the HTTP API and for which tenant: the {@code X-API-Key} against {@code api_key}
 * (every tenant) and {@code tenants.api_keys} (one tenant each), and the tenant a request addresses
 * ({@code X-Tenant-ID}). Immutable.
 */
final class ApiAccess {

  /** The header naming the tenant a request addresses. */
  static final String TENANT_HEADER = "X-Tenant-ID";

  private final ServerConfig config;

  ApiAccess(ServerConfig config) {
    this.config = config;
  }

  /**
   * What the request's API key grants: empty when it is refused; else the tenant it is bound to
   * ({@code tenants.api_keys}), or none for {@code api_key} (every tenant). Without any key
   * configured (development mode), every request reaches every tenant.
   */
  Optional<Optional<Tenant>> grant(HttpServerRequest request) {
    Optional<ApiKey> key = config.apiKey();
    if (key.isEmpty() && config.tenantApiKeys().isEmpty()) {
      return Optional.of(Optional.empty());
    }
    String presented = request.getHeader("X-API-Key");
    if (presented == null) {
      return Optional.empty();
    }
    if (key.isPresent() && key.get().matches(presented)) {
      return Optional.of(Optional.empty());
    }
    Optional<Tenant> bound = Optional.empty();
    // Every bound key is compared, so the time taken does not tell which one matched.
    for (Map.Entry<Tenant, ApiKey> e : config.tenantApiKeys().entrySet()) {
      if (e.getValue().matches(presented)) {
        bound = Optional.of(e.getKey());
      }
    }
    return bound.map(Optional::of);
  }

  /**
   * The tenant the request addresses: its {@code X-Tenant-ID} header, else the tenant its API key
   * is bound to, else the default tenant.
   *
   * @throws ApiException 400 naming the header when it is not a tenant id; 403 when the API key is
   *     bound to another tenant
   */
  static Tenant tenant(HttpServerRequest request, Optional<Tenant> boundTo) {
    String id = request.getHeader(TENANT_HEADER);
    if (id == null) {
      return boundTo.orElse(Tenant.DEFAULT);
    }
    Tenant tenant;
    try {
      tenant = new Tenant(id);
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          400,
          "BAD_REQUEST",
          TENANT_HEADER + ": " + e.getMessage(),
          Optional.of(
              Json.nodes()
                  .objectNode()
                  .put("field", TENANT_HEADER)
                  .put("constraint", "1-64 characters of letters, digits, '-' and '_'")));
    }
    boundTo
        .filter(bound -> !bound.equals(tenant))
        .ifPresent(
            bound -> {
              throw ApiException.forbidden(
                  "this API key is bound to tenant "
                      + bound.id()
                      + "; it cannot reach tenant "
                      + tenant.id());
            });
    return tenant;
  }
}
