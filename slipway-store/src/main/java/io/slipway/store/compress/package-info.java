/**
 * Compression of layers and archives: detection by magic bytes, decoders for gzip, zstd, bzip2
 * and xz, and single-pass compression that hashes both the uncompressed and compressed bytes,
 * with deterministic (optionally parallel) gzip.
 */
package io.slipway.store.compress;
