/**
 * Keeping a registry's state whole over years: the online {@link
 * io.slipway.registry.gc.GarbageCollector}, the {@link io.slipway.registry.gc.BlobPins} with which
 * pushes in flight protect what they touch, startup {@link io.slipway.registry.gc.RegistryRecovery},
 * and {@link io.slipway.registry.gc.RegistryContentIndex}, through which {@code slipway fsck}
 * resolves the registry's records.
 */
package io.slipway.registry.gc;
