/**
 * Access control for the registry: the built-in token service of the docker registry token
 * specification ({@link io.slipway.registry.auth.TokenHandler}), verification of bearer tokens
 * from it or from an external issuer ({@link io.slipway.registry.auth.TokenVerifier}), the {@link
 * io.slipway.registry.auth.Authorizer} the router asks before every call, users from an htpasswd
 * file, the access policy of the registry configuration, failed-login rate limiting and TLS
 * helpers. Depends on {@code io.slipway.oci.auth} for the scope grammar, Jetty, nimbus-jose-jwt,
 * bcrypt and BouncyCastle (certificate generation only); nothing in the registry's wire calls.
 */
package io.slipway.registry.auth;
