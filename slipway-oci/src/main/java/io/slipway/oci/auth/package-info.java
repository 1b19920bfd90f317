/**
 * The grammar shared by both ends of the docker token protocol: access scopes ({@code
 * repository:library/busybox:pull,push}). The registry's token service and verifier and the
 * client's token fetcher read and write the same text, so it lives below both. Depends on nothing
 * else in Slipway.
 */
package io.slipway.oci.auth;
