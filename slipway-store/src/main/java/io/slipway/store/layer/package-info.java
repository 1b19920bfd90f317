/**
 * OCI layers: the {@link io.slipway.store.layer.LayerEntry} model with whiteouts decoded, a
 * deterministic pax tar codec ({@link io.slipway.store.layer.LayerTarWriter}, {@link
 * io.slipway.store.layer.LayerReader}), layer writing from a tree or an overlayfs upper dir in one
 * streaming pass ({@link io.slipway.store.layer.LayerWriter}) and extraction that never leaves its
 * root ({@link io.slipway.store.layer.LayerExtractor}). See {@code docs/layers.md}.
 */
package io.slipway.store.layer;
