package io.slipway.store.layer;

import io.slipway.oci.Digest;

/**
 * What one extraction did. Immutable.
 *
 * @param diffId sha256 of the uncompressed tar, to check against the image config
 * @param entries entries applied, whiteouts and opaque markers included
 * @param skippedDevices device nodes not created because {@link ExtractOptions#devices()} is off
 * @param skippedXattrs extended attributes the filesystem or privileges refused
 */
public record ExtractResult(Digest diffId, long entries, long skippedDevices, long skippedXattrs) {}
