/**
 * A filesystem {@link io.slipway.store.blob.BlobStore} for the registry to run on until the
 * store module's own implementation is merged; it follows the same contract and layout.
 */
package io.slipway.registry.blob;
