package io.slipway.build.export;

import io.slipway.build.cache.BuildImages;
import io.slipway.build.cache.BuildLease;
import io.slipway.build.cache.CompressedLayer;
import io.slipway.build.cache.ImageRecord;
import io.slipway.build.cache.LayerRef;
import io.slipway.client.concurrent.SingleFlight;
import io.slipway.client.concurrent.TaskFailures;
import io.slipway.oci.Descriptor;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.compress.Compression;
import io.slipway.store.layer.LayerDigests;
import io.slipway.store.layer.LayerWriter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

/**
 * Compresses a built image's layers when the image leaves the builder. The solver keeps every
 * layer it writes uncompressed (its blob digest is its diff ID), as BuildKit keeps lazy blobs and
 * buildah its local storage: deflate is most of a cold build's CPU, and an image that is only
 * built, run from or rebuilt on never needs it. A push or an {@code oci}/{@code docker} archive
 * asks for the image as its {@link Output.LayerSettings} say; this class then makes each missing
 * compressed copy once per (diff ID, compression, level), all layers at once and gzip on every core
 * within a large layer, and records the exported image with its compressed layers among its blobs
 * ({@link BuildImages}), where the next export with the same settings finds and reuses them.
 *
 * <p>Layers already compressed (a base image's) are kept as they are. Safe for concurrent use:
 * concurrent exports of one layer with the same settings compress it once.
 */
public final class LayerCompression {

  private static final Duration FLIGHT_WAIT = Duration.ofDays(1);

  private final BlobStore store;
  private final BuildImages images;
  private final int threads;
  private final SingleFlight<String, CompressedLayer> flights = new SingleFlight<>();

  /**
   * Compresses layers of {@code store}, finding and recording compressed copies in {@code images},
   * with {@code threads} gzip threads per layer.
   */
  public LayerCompression(BlobStore store, BuildImages images, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1");
    }
    this.store = store;
    this.images = images;
    this.threads = threads;
  }

  /**
   * {@code image} with its uncompressed layers compressed as {@code settings} ask, its manifest
   * in the store and recorded under {@code lease}; {@code image} itself when nothing changes.
   */
  public BuiltImage compress(BuiltImage image, Output.LayerSettings settings, BuildLease lease)
      throws IOException, InterruptedException {
    if (settings.compression() == Compression.NONE) {
      return image;
    }
    List<Future<Optional<CompressedLayer>>> pending = new ArrayList<>();
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (LayerRef layer : image.layers()) {
        pending.add(workers.submit(() -> isUncompressed(layer)
            ? Optional.of(compressed(layer, settings)) : Optional.empty()));
      }
      List<LayerRef> layers = new ArrayList<>();
      List<CompressedLayer> made = new ArrayList<>();
      for (int i = 0; i < pending.size(); i++) {
        Optional<CompressedLayer> copy = join(pending.get(i));
        copy.ifPresent(made::add);
        layers.add(copy.map(CompressedLayer::layer).orElse(image.layers().get(i)));
      }
      if (made.isEmpty()) {
        return image;
      }
      Descriptor manifest = ImageAssembler.manifest(image.config(), layers, store);
      images.record(manifest.digest(), ImageRecord.Role.BUILT,
          "built image, layers " + settings.compression().layerMediaType(),
          List.of(manifest, image.config()), made, lease);
      return new BuiltImage(manifest, image.config(), image.configValue(), layers);
    }
  }

  /** A layer the builder wrote: stored as a plain tar, so its blob digest is its diff ID. */
  private static boolean isUncompressed(LayerRef layer) {
    return layer.blob().mediaType().equals(Compression.NONE.layerMediaType())
        && layer.blob().digest().equals(layer.diffId());
  }

  private CompressedLayer compressed(LayerRef layer, Output.LayerSettings settings)
      throws IOException, InterruptedException {
    String mediaType = settings.compression().layerMediaType();
    String key = layer.diffId() + " " + mediaType + " " + settings.level();
    try {
      return flights.await(key, () -> {
        Optional<CompressedLayer> known =
            images.compressedLayer(layer.diffId(), mediaType, settings.level());
        // The record is checked against the store: recovery drops a record whose blob is gone,
        // but only at the next open; until then a miss here just compresses again.
        if (known.isPresent() && store.exists(known.get().blob().digest())) {
          return known.get();
        }
        LayerDigests digests = LayerWriter.compressStored(store, layer.diffId(),
            settings.compression(), settings.level(), threads);
        return new CompressedLayer(
            Descriptor.of(digests.mediaType(), digests.digest(), digests.size()),
            layer.diffId(), settings.level());
      }, FLIGHT_WAIT);
    } catch (ExecutionException e) {
      throw TaskFailures.unwrap(e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("compressing layer " + layer.diffId() + " took longer than "
          + FLIGHT_WAIT, e);
    }
  }

  private static <T> T join(Future<T> future) throws IOException, InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw TaskFailures.unwrap(e.getCause());
    }
  }
}
