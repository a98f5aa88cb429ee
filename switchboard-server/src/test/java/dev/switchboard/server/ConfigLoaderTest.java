package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  @TempDir Path dir;

  private static ServerConfig load(Map<String, String> env, Map<String, String> flags) {
    return ConfigLoader.load(Optional.empty(), env, flags);
  }

  private Path toml(String text) throws IOException {
    Path file = dir.resolve("switchboard.toml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void withNothingConfiguredTheDefaultsApply() {
    ServerConfig config = load(Map.of(), Map.of());
    assertThat(config.mode()).isEqualTo(Mode.DEVELOPMENT);
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.registryLimits().maxConnections()).isEqualTo(10_000);
    assertThat(config.registryLimits().maxConnectionsPerUser()).isEqualTo(5);
    assertThat(config.registryLimits().maxSubscriptionsPerConnection()).isEqualTo(50);
    assertThat(config.http().maxBodyBytes()).isEqualTo(64 * 1024);
    assertThat(config.http().maxBatchBodyBytes()).isEqualTo(1024 * 1024);
    assertThat(config.http().maxBatchItems()).isEqualTo(100);
    assertThat(config.rpc().pingInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.rpc().maxMissedPings()).isEqualTo(4);
    assertThat(config.jwt()).isEmpty();
    assertThat(config.apiKey()).isEmpty();
    assertThat(config.rateLimits()).isEqualTo(RateLimits.SERVE_DEFAULTS);
    assertThat(config.rpc().messageRate())
        .hasValueSatisfying(
            rate -> {
              assertThat(rate.rate()).isEqualTo(50);
              assertThat(rate.burst()).isEqualTo(200);
              assertThat(rate.period()).isEqualTo(Duration.ofSeconds(1));
            });
    assertThat(config.connectionLimits()).isEqualTo(ConnectionLimits.DEFAULTS);
    assertThat(config.webSocketCompression()).isEqualTo(WebSocketCompression.OFF);
    assertThat(config.rpc().maxRefusedMessages()).isEqualTo(50);
    assertThat(config.loadLimits()).isEqualTo(LoadLimits.DEFAULTS);
  }

  @Test
  void loadLimitsAndTheMessageRateAreConfigurable() {
    ServerConfig config =
        load(
            Map.of(
                "SWITCHBOARD_WEBSOCKET_MESSAGES_PER_SECOND",
                "0",
                "SWITCHBOARD_HTTP_MAX_CONCURRENT_REQUESTS",
                "7"),
            Map.of(
                "rpc.handler_limit_min",
                "2",
                "rpc.handler_limit_initial",
                "3",
                "rpc.handler_limit_max",
                "4"));
    assertThat(config.rpc().messageRate()).isEmpty();
    assertThat(config.loadLimits()).isEqualTo(new LoadLimits(7, 3, 2, 4));
    assertThat(
            load(
                    Map.of(),
                    Map.of("websocket.messages_per_second", "20", "websocket.message_burst", "0"))
                .rpc()
                .messageRate()
                .orElseThrow()
                .burst())
        .as("0: the same as the rate")
        .isEqualTo(20);
    assertThatThrownBy(() -> load(Map.of(), Map.of("rpc.handler_limit_min", "20000")))
        .hasMessageContaining("rpc.handler_limit_min")
        .hasMessageContaining("20000");
  }

  @Test
  void rateLimitsAreConfigurableAndZeroTurnsThemOff() {
    ServerConfig config =
        load(
            Map.of(
                "SWITCHBOARD_HTTP_RATE_LIMIT_PER_SECOND",
                "5",
                "SWITCHBOARD_HTTP_RATE_LIMIT_BURST",
                "7",
                "SWITCHBOARD_WEBSOCKET_CONNECTIONS_PER_MINUTE_PER_IP",
                "0"),
            Map.of());
    assertThat(config.rateLimits()).isEqualTo(new RateLimits(5, 7, 0));
    assertThatThrownBy(() -> load(Map.of("SWITCHBOARD_HTTP_RATE_LIMIT_BURST", "-1"), Map.of()))
        .hasMessageContaining("http.rate_limit_burst")
        .hasMessageContaining("\"-1\"");
  }

  @Test
  void aConfigBuiltInCodeLimitsNothingUnlessAsked() {
    assertThat(ServerConfig.builder().build().rateLimits()).isEqualTo(RateLimits.OFF);
    assertThat(ServerConfig.builder().build().rpc().messageRate()).isEmpty();
    assertThat(ServerConfig.builder().build().loadLimits()).isEqualTo(LoadLimits.DEFAULTS);
  }

  @Test
  void environmentOverridesTheFileAndFlagsOverrideTheEnvironment() throws IOException {
    Path file =
        toml(
            """
        port = 9000
        [limits]
        max_connections = 100
        max_connections_per_user = 2
        [http]
        cors_origins = ["https://a.example", "https://b.example"]
        """);
    ServerConfig config =
        ConfigLoader.load(
            Optional.of(file),
            Map.of("SWITCHBOARD_PORT", "9001", "SWITCHBOARD_LIMITS_MAX_CONNECTIONS", "200"),
            Map.of("port", "9002"));
    assertThat(config.port()).isEqualTo(9002);
    assertThat(config.registryLimits().maxConnections()).isEqualTo(200);
    assertThat(config.registryLimits().maxConnectionsPerUser()).isEqualTo(2);
    assertThat(config.http().corsOrigins())
        .containsExactly("https://a.example", "https://b.example");
  }

  @Test
  void theIssuesEnvironmentNamesWork() {
    ServerConfig config =
        load(
            Map.of(
                "SWITCHBOARD_MODE", "production",
                "SWITCHBOARD_JWT_SECRET", SECRET,
                "SWITCHBOARD_JWT_ISSUER", "https://auth.example",
                "SWITCHBOARD_JWT_AUDIENCE", "switchboard",
                "SWITCHBOARD_API_KEY", "an-api-key-of-some-length",
                "SWITCHBOARD_PORT", "0"),
            Map.of());
    assertThat(config.mode()).isEqualTo(Mode.PRODUCTION);
    assertThat(config.jwt()).isPresent();
    assertThat(config.apiKey().orElseThrow().matches("an-api-key-of-some-length")).isTrue();
    assertThat(config.port()).isZero();
  }

  @Test
  void theShortJwksVariableIsAnAlias() {
    ServerConfig config =
        load(Map.of("SWITCHBOARD_JWKS_URL", "http://127.0.0.1:1/jwks.json"), Map.of());
    assertThat(config.jwt()).isPresent();
  }

  @Test
  void anInvalidValueNamesTheKeyItsSourceTheValueAndWhatIsAllowed() {
    assertThatThrownBy(() -> load(Map.of("SWITCHBOARD_LIMITS_MAX_CONNECTIONS", "lots"), Map.of()))
        .isInstanceOf(ConfigLoader.ConfigException.class)
        .hasMessageContaining("limits.max_connections")
        .hasMessageContaining("SWITCHBOARD_LIMITS_MAX_CONNECTIONS")
        .hasMessageContaining("\"lots\"")
        .hasMessageContaining("a whole number from 1 to");
    assertThatThrownBy(() -> load(Map.of(), Map.of("mode", "staging")))
        .hasMessageContaining("mode")
        .hasMessageContaining("--mode")
        .hasMessageContaining("development or production");
    assertThatThrownBy(() -> load(Map.of(), Map.of("port", "70000")))
        .hasMessageContaining("port")
        .hasMessageContaining("70000")
        .hasMessageContaining("0 to 65535");
  }

  @Test
  void anUnknownKeyInTheFileIsAnError() throws IOException {
    Path file = toml("[limits]\nmax_conections = 5\n");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
        .isInstanceOf(ConfigLoader.ConfigException.class)
        .hasMessageContaining("limits.max_conections")
        .hasMessageContaining(file.toString());
  }

  @Test
  void anUnknownSetFlagIsAnErrorButUnknownEnvironmentVariablesAreIgnored() {
    assertThatThrownBy(() -> load(Map.of(), Map.of("limits.maximum", "5")))
        .hasMessageContaining("limits.maximum");
    assertThat(load(Map.of("SWITCHBOARD_JAVA_OPTS", "-Xmx1g"), Map.of()).port()).isEqualTo(8080);
  }

  @Test
  void aSetFlagIsNamedAsTheCommandLineSpellsIt() {
    assertThatThrownBy(() -> load(Map.of(), Map.of("limits.max_connections", "many")))
        .hasMessageContaining("from --set limits.max_connections:")
        .hasMessageNotContaining("--limits.max-connections");
    assertThatThrownBy(() -> load(Map.of(), Map.of("port", "eighty")))
        .hasMessageContaining("from --port:");
  }

  @Test
  void observabilityIsConfiguredByItsSettingsAndTheOtelVariables() {
    assertThat(load(Map.of(), Map.of()).observability()).isEqualTo(Observability.DEFAULTS);

    ServerConfig config =
        load(
            Map.of(
                "SWITCHBOARD_TRACING_ENABLED", "true",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317",
                "OTEL_SERVICE_NAME", "notifications",
                "PATH", "/usr/bin"),
            Map.of(
                "tracing.sampling_ratio", "0.25",
                "metrics.enabled", "false",
                "logging.format", "json"));

    Observability o = config.observability();
    assertThat(o.metrics()).isFalse();
    assertThat(o.logFormat()).isEqualTo(Observability.LogFormat.JSON);
    assertThat(o.tracing().enabled()).isTrue();
    assertThat(o.tracing().samplingRatio()).hasValue(0.25);
    assertThat(o.tracing().otelEnvironment())
        .as("the OTEL_ variables alone")
        .containsOnly(
            Map.entry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"),
            Map.entry("OTEL_SERVICE_NAME", "notifications"));
  }

  @Test
  void badObservabilitySettingsAreReportedTogether() {
    ConfigLoader.ConfigException e =
        catchThrowableOfType(
            ConfigLoader.ConfigException.class,
            () ->
                load(
                    Map.of("SWITCHBOARD_LOGGING_FORMAT", "xml"),
                    Map.of("tracing.sampling_ratio", "1.5", "tracing.enabled", "maybe")));

    assertThat(e.problems())
        .hasSize(3)
        .anySatisfy(line -> assertThat(line).contains("logging.format", "\"xml\"", "text or json"))
        .anySatisfy(line -> assertThat(line).contains("tracing.sampling_ratio", "from 0 to 1"))
        .anySatisfy(line -> assertThat(line).contains("tracing.enabled", "\"maybe\""));
  }

  @Test
  void everyProblemIsReportedAtOnceOneLineEach() {
    ConfigLoader.ConfigException e =
        catchThrowableOfType(
            ConfigLoader.ConfigException.class,
            () ->
                load(
                    Map.of("SWITCHBOARD_LIMITS_MAX_CONNECTIONS", "lots"),
                    Map.of(
                        "port", "eighty",
                        "limits.maximum", "5",
                        "rpc.handler_limit_min", "20000",
                        "jwt.secret", "too-short",
                        "jwt.algorithms", "HS256,none")));

    assertThat(e.problems())
        .hasSize(6)
        .allSatisfy(line -> assertThat(line).doesNotContain("\n"))
        .anySatisfy(line -> assertThat(line).contains("limits.max_connections", "\"lots\""))
        .anySatisfy(line -> assertThat(line).contains("port", "\"eighty\""))
        .anySatisfy(line -> assertThat(line).contains("unknown setting \"limits.maximum\""))
        .anySatisfy(line -> assertThat(line).contains("rpc.handler_limit_min", "20000"))
        .anySatisfy(line -> assertThat(line).contains("jwt.secret is 9 bytes"))
        .anySatisfy(line -> assertThat(line).contains("must not contain 'none'"));
    assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
  }

  @Test
  void aShortJwtSecretOrNoneAmongTheAlgorithmsIsAConfigurationError() {
    assertThatThrownBy(() -> load(Map.of(), Map.of("jwt.secret", "short")))
        .isInstanceOf(ConfigLoader.ConfigException.class)
        .hasMessage(
            "invalid JWT settings: jwt.secret is 5 bytes; at least 32 bytes (256 bits) are"
                + " required");
    assertThatThrownBy(() -> load(Map.of(), Map.of("jwt.secret", SECRET, "jwt.algorithms", "none")))
        .isInstanceOf(ConfigLoader.ConfigException.class)
        .hasMessageContaining("jwt.algorithms must not contain 'none'");
  }

  @Test
  void productionRefusesToStartWithoutAJwtKeyAndAnApiKey() {
    assertThatThrownBy(() -> load(Map.of("SWITCHBOARD_MODE", "production"), Map.of()))
        .isInstanceOf(ConfigLoader.ConfigException.class)
        .hasMessageContaining("jwt.secret")
        .hasMessageContaining("api_key");
  }

  @Test
  void secretsAreNeverEchoedInErrors() {
    assertThatThrownBy(() -> load(Map.of("SWITCHBOARD_API_KEY", "short-key"), Map.of()))
        .hasMessageContaining("api_key")
        .hasMessageNotContaining("short-key");
    assertThatThrownBy(() -> load(Map.of("SWITCHBOARD_JWT_SECRET", "too-short-secret"), Map.of()))
        .hasMessageContaining("jwt.secret")
        .hasMessageNotContaining("too-short-secret");
  }

  @Test
  void theAdminTokenComesFromTheEnvironmentAndAShortOneIsRefusedWithoutShowingIt() {
    assertThat(load(Map.of(), Map.of()).adminToken()).isEmpty();
    assertThat(
            load(Map.of("SWITCHBOARD_ADMIN_TOKEN", "an-admin-token-0123456"), Map.of())
                .adminToken()
                .orElseThrow()
                .matches("an-admin-token-0123456"))
        .isTrue();
    assertThatThrownBy(() -> load(Map.of("SWITCHBOARD_ADMIN_TOKEN", "tiny-admin"), Map.of()))
        .hasMessageContaining("invalid admin.token from SWITCHBOARD_ADMIN_TOKEN")
        .hasMessageContaining("at least 16")
        .hasMessageNotContaining("tiny-admin");
  }

  @Test
  void theAdminTokenComesFromTheFileSection() throws IOException {
    Path file = toml("[admin]\ntoken = \"an-admin-token-from-a-file\"\n");
    assertThat(
            ConfigLoader.load(Optional.of(file), Map.of(), Map.of())
                .adminToken()
                .orElseThrow()
                .matches("an-admin-token-from-a-file"))
        .isTrue();
  }

  @Test
  void theStaleTimeoutBecomesMissedPingIntervals() {
    ServerConfig config =
        load(
            Map.of(
                "SWITCHBOARD_WEBSOCKET_PING_INTERVAL_SECONDS",
                "10",
                "SWITCHBOARD_WEBSOCKET_STALE_TIMEOUT_SECONDS",
                "45"),
            Map.of());
    assertThat(config.rpc().pingInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.rpc().maxMissedPings()).isEqualTo(5);
  }

  @Test
  void devicesSpeakJsonRpcUnlessTheDefaultProtocolSaysAra() {
    assertThat(load(Map.of(), Map.of()).defaultProtocol()).isEqualTo(DeviceProtocol.JSONRPC);
    assertThat(
            load(Map.of("SWITCHBOARD_WEBSOCKET_DEFAULT_PROTOCOL", "ara"), Map.of())
                .defaultProtocol())
        .isEqualTo(DeviceProtocol.ARA);
    assertThatThrownBy(() -> load(Map.of(), Map.of("websocket.default_protocol", "mqtt")))
        .isInstanceOf(ConfigLoader.ConfigException.class)
        .hasMessageStartingWith(
            "invalid websocket.default_protocol from --set websocket.default_protocol: \"mqtt\"; "
                + "allowed: jsonrpc or ara");
  }

  @Test
  void tenantApiKeysAreTenantEqualsKeyPairsAndABadOneIsReportedWithoutTheKey() {
    ServerConfig config =
        load(
            Map.of(
                "SWITCHBOARD_TENANTS_API_KEYS",
                "acme=key-of-acme-0123456789, globex=key-of-globex-012345"),
            Map.of());
    assertThat(config.tenantApiKeys().keySet())
        .containsExactlyInAnyOrder(
            new dev.switchboard.gateway.Tenant("acme"),
            new dev.switchboard.gateway.Tenant("globex"));
    assertThat(
            config
                .tenantApiKeys()
                .get(new dev.switchboard.gateway.Tenant("acme"))
                .matches("key-of-acme-0123456789"))
        .isTrue();
    assertThatThrownBy(
            () -> load(Map.of(), Map.of("tenants.api_keys", "acme=short-key,bad tenant=x")))
        .hasMessageContaining("invalid tenants.api_keys")
        .hasMessageContaining("hidden")
        .hasMessageNotContaining("short-key");
  }

  @Test
  void tenantLimitsAreTenantEqualsNumberPairsMergedByTenant() {
    ServerConfig config =
        load(
            Map.of(
                "SWITCHBOARD_TENANTS_MAX_CONNECTIONS", "acme=100",
                "SWITCHBOARD_TENANTS_MAX_CONNECTIONS_PER_USER", "acme=2,globex=9"),
            Map.of());
    assertThat(config.tenantLimits())
        .containsEntry(
            new dev.switchboard.gateway.Tenant("acme"),
            dev.switchboard.gateway.TenantLimits.NONE
                .withMaxConnections(100)
                .withMaxConnectionsPerUser(2))
        .containsEntry(
            new dev.switchboard.gateway.Tenant("globex"),
            dev.switchboard.gateway.TenantLimits.NONE.withMaxConnectionsPerUser(9));
    assertThat(config.tenants()).containsExactly("acme", "globex");
    assertThatThrownBy(() -> load(Map.of(), Map.of("tenants.max_connections", "acme=0")))
        .hasMessageContaining("invalid tenants.max_connections")
        .hasMessageContaining("\"acme=0\"");
  }

  @Test
  void everySettingIsDocumentedWithItsEnvironmentVariableAndDefault() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
    for (Setting s : Setting.values()) {
      String row =
          doc.lines()
              .filter(l -> l.startsWith("| `" + s.key() + "` |"))
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError("docs/configuration.md has no row for " + s.key()));
      assertThat(row).contains("`" + s.environmentVariable() + "`");
      s.alias().ifPresent(alias -> assertThat(row).contains("`" + alias + "`"));
      assertThat(row).contains(s.defaultValue().isEmpty() ? "(" : "`" + s.defaultValue() + "`");
    }
  }

  @Test
  void redisUrlAndNodeIdTurnTheClusterOnAndBadOnesAreRefusedWithoutThePassword() {
    ServerConfig config =
        load(
            Map.of(
                "SWITCHBOARD_REDIS_URL", "redis://10.0.0.5:6379/2",
                "SWITCHBOARD_CLUSTER_NODE_ID", "node-a"),
            Map.of());
    assertThat(config.cluster().redisUrl()).hasValue("redis://10.0.0.5:6379/2");
    assertThat(config.cluster().nodeId()).hasValue("node-a");
    assertThat(load(Map.of(), Map.of()).cluster()).isEqualTo(ClusterSettings.SINGLE_NODE);

    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "SWITCHBOARD_REDIS_URL", "http://user:s3cret@host:1",
                        "SWITCHBOARD_CLUSTER_NODE_ID", "has space"),
                    Map.of()))
        .isInstanceOfSatisfying(
            ConfigLoader.ConfigException.class,
            e -> {
              assertThat(e.problems()).hasSize(2);
              assertThat(e.problems().get(0))
                  .startsWith("invalid redis.url")
                  .contains("redis://")
                  .doesNotContain("s3cret");
              assertThat(e.problems().get(1)).startsWith("invalid cluster.node_id");
            });
  }

  @Test
  void clusterResourcesAndAddressAreReadAndBadOnesAreRefusedTogether() {
    ServerConfig config =
        load(
            Map.of(
                "SWITCHBOARD_CLUSTER_RESOURCES", "gpu, model-a",
                "SWITCHBOARD_CLUSTER_ADDRESS", "ws://10.0.0.5:8080/ws"),
            Map.of());
    assertThat(config.cluster().resources()).containsExactly("gpu", "model-a");
    assertThat(config.cluster().address()).hasValue("ws://10.0.0.5:8080/ws");
    assertThat(ClusterNode.address(load(Map.of(), Map.of("host", "10.1.2.3")), 9000))
        .isEqualTo("ws://10.1.2.3:9000/ws");

    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "SWITCHBOARD_CLUSTER_RESOURCES",
                        "gpu," + "x".repeat(200),
                        "SWITCHBOARD_CLUSTER_ADDRESS",
                        "http://10.0.0.5:8080/ws"),
                    Map.of()))
        .isInstanceOfSatisfying(
            ConfigLoader.ConfigException.class,
            e -> {
              assertThat(e.problems()).hasSize(2);
              assertThat(e.problems().get(0)).startsWith("invalid cluster.resources");
              assertThat(e.problems().get(1))
                  .startsWith("invalid cluster.address")
                  .contains("ws://");
            });
  }

  @Test
  void webTransportIsOnInDevelopmentOffInProductionAndItsSettingsAreChecked() throws IOException {
    assertThat(load(Map.of(), Map.of()).webTransport()).isEqualTo(WebTransportOptions.DEVELOPMENT);
    assertThat(load(Map.of("SWITCHBOARD_WEBTRANSPORT_PORT", "off"), Map.of()).webTransport())
        .isEqualTo(WebTransportOptions.OFF);
    assertThat(
            load(Map.of("SWITCHBOARD_WEBTRANSPORT_PORT", "4433"), Map.of()).webTransport().port())
        .isEqualTo(4433);
    Path chain = Files.writeString(dir.resolve("chain.pem"), "x");
    Path key = Files.writeString(dir.resolve("key.pem"), "x");
    WebTransportOptions given =
        load(
                Map.of(
                    "SWITCHBOARD_WEBTRANSPORT_CERTIFICATE", chain.toString(),
                    "SWITCHBOARD_WEBTRANSPORT_PRIVATE_KEY", key.toString()),
                Map.of())
            .webTransport();
    assertThat(given.certificate()).hasValue(chain);
    assertThat(given.enabled()).isTrue();

    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "SWITCHBOARD_WEBTRANSPORT_PORT", "70000",
                        "SWITCHBOARD_WEBTRANSPORT_CERTIFICATE", "/nowhere/chain.pem"),
                    Map.of()))
        .isInstanceOfSatisfying(
            ConfigLoader.ConfigException.class,
            e ->
                assertThat(e.problems())
                    .anySatisfy(p -> assertThat(p).startsWith("invalid webtransport.port"))
                    .anySatisfy(p -> assertThat(p).contains("go together")));
    assertThatThrownBy(
            () ->
                ServerConfig.builder()
                    .mode(Mode.PRODUCTION)
                    .jwt(PushTokens.hs256Config())
                    .apiKey(dev.switchboard.auth.ApiKey.of(PushFixture.API_KEY))
                    .webTransport(WebTransportOptions.DEVELOPMENT)
                    .build())
        .hasMessageContaining("webtransport.certificate");
  }
}
