package io.slipway.build.export;

import io.slipway.build.cache.LayerRef;
import io.slipway.build.graph.BuildStage;
import io.slipway.build.graph.HistoryEntry;
import io.slipway.build.graph.Operation;
import io.slipway.build.graph.Vertex;
import io.slipway.build.solver.PinnedImages;
import io.slipway.build.solver.Solution;
import io.slipway.oci.Descriptor;
import io.slipway.oci.ImageConfig;
import io.slipway.oci.ImageManifest;
import io.slipway.oci.ManifestBytes;
import io.slipway.oci.MediaTypes;
import io.slipway.store.blob.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes the image of a solved stage: the config (the base image's config with the stage's
 * environment, user, working directory, entrypoint, command, labels, ports, volumes, healthcheck,
 * stop signal, shell and ONBUILD triggers; the platform; the diff IDs of every layer; the base's
 * history followed by one entry per instruction, {@code created_by} as the reference builder
 * writes it, {@code empty_layer} for metadata-only instructions and for steps that changed
 * nothing) and an OCI manifest, both written to the store. {@code created} is the
 * {@code SOURCE_DATE_EPOCH} when the build has one, so equal inputs give equal digests. Stateless
 * and thread-safe.
 */
public final class ImageAssembler {

  private ImageAssembler() {}

  /** Assembles the image of {@code stage} and stores its config and manifest in {@code store}. */
  public static BuiltImage assemble(Solution solution, BuildStage stage, Instant created,
      BlobStore store) throws IOException, InterruptedException {
    List<LayerRef> layers = solution.of(stage.root()).record().chain();
    ImageConfig base = baseConfig(solution, stage);
    List<ImageConfig.History> history = history(solution, stage, created);
    List<io.slipway.oci.Digest> diffIds = layers.stream().map(LayerRef::diffId).toList();
    ImageConfig config = new ImageConfig(
        java.time.format.DateTimeFormatter.ISO_INSTANT.format(created),
        stage.config().author().orElse(base.author()),
        stage.platform().architecture(),
        stage.platform().os(),
        null,
        List.of(),
        stage.platform().variant(),
        runConfig(stage.config()),
        ImageConfig.RootFs.of(diffIds),
        history);
    byte[] configBytes = config.toBytes();
    Descriptor configDescriptor = Descriptor.of(MediaTypes.OCI_CONFIG, configBytes);
    put(store, configDescriptor, configBytes);
    return new BuiltImage(manifest(configDescriptor, layers, store), configDescriptor, config,
        layers);
  }

  /**
   * Stores the OCI manifest of the image with {@code config} and {@code layers} (the same config
   * serves an image whose layers are compressed differently: it lists diff IDs) and describes it.
   */
  public static Descriptor manifest(Descriptor config, List<LayerRef> layers, BlobStore store)
      throws IOException {
    List<Descriptor> layerDescriptors = layers.stream().map(LayerRef::blob).toList();
    ManifestBytes manifest = ManifestBytes.serialize(ImageManifest.of(config, layerDescriptors));
    put(store, manifest.descriptor(), manifest.bytes());
    return manifest.descriptor();
  }

  private static void put(BlobStore store, Descriptor descriptor, byte[] bytes)
      throws IOException {
    if (!store.exists(descriptor.digest())) {
      store.put(new ByteArrayInputStream(bytes), descriptor.digest(), bytes.length);
    }
  }

  private static ImageConfig.RunConfig runConfig(io.slipway.build.graph.ImageConfig config) {
    ImageConfig.Healthcheck health = config.healthcheck()
        .map(h -> new ImageConfig.Healthcheck(h.test(), h.interval().toNanos(),
            h.timeout().toNanos(), h.startPeriod().toNanos(), h.startInterval().toNanos(),
            h.retries()))
        .orElse(null);
    List<String> shell =
        config.shell().equals(io.slipway.build.graph.ImageConfig.DEFAULT_SHELL)
            ? List.of() : config.shell();
    return new ImageConfig.RunConfig(
        config.user(),
        config.exposedPorts(),
        config.env(),
        config.entrypoint().orElse(List.of()),
        config.cmd().orElse(List.of()),
        config.volumes(),
        config.workingDir(),
        Map.copyOf(config.labels()),
        config.stopSignal().orElse(null),
        false,
        health,
        config.onBuild(),
        shell);
  }

  /** The config of what {@code stage} is built on, for fields the stage does not set. */
  private static ImageConfig baseConfig(Solution solution, BuildStage stage)
      throws IOException, InterruptedException {
    Vertex base = baseVertex(stage);
    if (base.operation() instanceof Operation.Image image) {
      return solution.images().image(image.reference(), image.platform()).configValue();
    }
    return ImageConfig.of(PinnedImages.toOci(stage.platform()));
  }

  /** Walks back over the stage's own layer steps to the vertex its FROM names. */
  private static Vertex baseVertex(BuildStage stage) {
    Vertex vertex = stage.root();
    long steps = stage.history().stream().filter(h -> !h.emptyLayer()).count();
    for (long i = 0; i < steps && !vertex.inputs().isEmpty(); i++) {
      vertex = vertex.inputs().getFirst();
    }
    return vertex;
  }

  private static List<ImageConfig.History> history(Solution solution, BuildStage stage,
      Instant created) throws IOException, InterruptedException {
    List<Vertex> steps = new ArrayList<>();
    Vertex vertex = stage.root();
    long count = stage.history().stream().filter(h -> !h.emptyLayer()).count();
    for (long i = 0; i < count && !vertex.inputs().isEmpty(); i++) {
      steps.addFirst(vertex);
      vertex = vertex.inputs().getFirst();
    }
    List<ImageConfig.History> result = new ArrayList<>(baseHistory(solution, vertex, created));
    int next = 0;
    for (HistoryEntry entry : stage.history()) {
      ImageConfig.History line = ImageConfig.History.of(created, entry.createdBy());
      if (entry.emptyLayer() || next >= steps.size()) {
        result.add(line.asEmptyLayer());
        continue;
      }
      Vertex step = steps.get(next++);
      int added = solution.of(step).record().chain().size()
          - solution.of(step.inputs().getFirst()).record().chain().size();
      if (added <= 0) {
        result.add(line.asEmptyLayer());
      }
      for (int i = 0; i < added; i++) {
        result.add(line);
      }
    }
    return result;
  }

  private static List<ImageConfig.History> baseHistory(Solution solution, Vertex base,
      Instant created) throws IOException, InterruptedException {
    if (base.operation() instanceof Operation.Image image) {
      return solution.images().image(image.reference(), image.platform()).configValue().history();
    }
    Optional<BuildStage> parent = solution.graph().stages().stream()
        .filter(s -> s.root().equals(base)).findFirst();
    if (parent.isPresent()) {
      return history(solution, parent.get(), created);
    }
    return List.of();
  }
}
