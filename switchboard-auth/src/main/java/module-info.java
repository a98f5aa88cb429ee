/**
 * Authentication for Switchboard: devices connecting to the push server present a JWT ({@link
 * dev.switchboard.auth.TokenVerifier}), backends calling the HTTP API present an API key ({@link
 * dev.switchboard.auth.ApiKey}). Verification keys come from a shared secret, a PEM public key or a
 * JWKS URL ({@link dev.switchboard.auth.JwtConfig}).
 */
module dev.switchboard.auth {
  requires com.nimbusds.jose.jwt;
  requires transitive java.net.http; // JwtConfig.httpClient() takes and returns an HttpClient
  requires org.slf4j;

  exports dev.switchboard.auth;
}
