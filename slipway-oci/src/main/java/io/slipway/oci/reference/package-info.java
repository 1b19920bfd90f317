/**
 * Image references ({@code docker.io/library/busybox:latest}) with Docker's normalization, and the
 * distribution spec's grammar for repository names and tags, which the registry applies to request
 * paths. Depends on {@code io.slipway.oci} for digests.
 */
package io.slipway.oci.reference;
