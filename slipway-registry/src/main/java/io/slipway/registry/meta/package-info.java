/**
 * The registry's metadata: repositories, tags, the manifest and referrers index, blob links and
 * upload sessions, behind {@link io.slipway.registry.meta.RegistryMetadata} so that SQLite (now)
 * and PostgreSQL (clusters) can both hold it.
 */
package io.slipway.registry.meta;
