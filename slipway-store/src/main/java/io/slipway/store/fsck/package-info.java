/**
 * Checking and repairing a state root: {@link io.slipway.store.fsck.Fsck} re-hashes every blob,
 * runs SQLite's integrity check, resolves every record of each module's {@link
 * io.slipway.store.fsck.ContentIndex} and lists orphans; {@link
 * io.slipway.store.fsck.DatabaseSalvage} sets a corrupt database aside at startup. Modules that keep
 * records pointing at blobs (registry, build cache) plug in by implementing {@code ContentIndex}.
 */
package io.slipway.store.fsck;
