package io.slipway.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An image manifest: a config descriptor and an ordered list of layer descriptors, in the OCI
 * ({@link MediaTypes#OCI_MANIFEST}) or Docker schema 2 ({@link MediaTypes#DOCKER_MANIFEST}) form,
 * which share one JSON shape. OCI 1.1 adds {@code artifactType} and {@code subject}.
 *
 * <p>{@code mediaType}, {@code artifactType} and {@code subject} are {@code null} when absent;
 * {@code layers} and {@code annotations} are never null. Serialize with {@link
 * ManifestBytes#serialize(Manifest)} to get canonical bytes. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({
  "schemaVersion",
  "mediaType",
  "artifactType",
  "config",
  "layers",
  "subject",
  "annotations"
})
public record ImageManifest(
    @JsonProperty("schemaVersion") int schemaVersion,
    @JsonProperty("mediaType") String mediaType,
    @JsonProperty("artifactType") String artifactType,
    @JsonProperty("config") Descriptor config,
    // Written even when empty, as the reference implementation does: "layers" is a required field.
    @JsonProperty("layers") @JsonInclude(JsonInclude.Include.ALWAYS) List<Descriptor> layers,
    @JsonProperty("subject") Descriptor subject,
    @JsonProperty("annotations") Map<String, String> annotations)
    implements Manifest {

  public ImageManifest {
    if (schemaVersion != 2) {
      throw new IllegalArgumentException("schemaVersion must be 2, got " + schemaVersion);
    }
    if (config == null) {
      throw new IllegalArgumentException("config is required in an image manifest");
    }
    mediaType = Values.emptyToNull(mediaType);
    artifactType = Values.emptyToNull(artifactType);
    layers = Values.listCopy(layers, "layers");
    annotations = Values.sortedCopy(annotations, "annotations");
  }

  /** An OCI image manifest with {@code config} and {@code layers}, base layer first. */
  public static ImageManifest of(Descriptor config, List<Descriptor> layers) {
    return new ImageManifest(2, MediaTypes.OCI_MANIFEST, null, config, layers, null, Map.of());
  }

  /** A Docker schema 2 manifest with {@code config} and {@code layers}, base layer first. */
  public static ImageManifest docker(Descriptor config, List<Descriptor> layers) {
    return new ImageManifest(2, MediaTypes.DOCKER_MANIFEST, null, config, layers, null, Map.of());
  }

  /**
   * An OCI artifact manifest as the image spec recommends it: the given {@code artifactType},
   * the empty config, and {@code blobs} as layers (the empty descriptor when there are none).
   */
  public static ImageManifest artifact(String artifactType, List<Descriptor> blobs) {
    return new ImageManifest(
        2,
        MediaTypes.OCI_MANIFEST,
        artifactType,
        Descriptor.EMPTY,
        blobs.isEmpty() ? List.of(Descriptor.EMPTY) : blobs,
        null,
        Map.of());
  }

  /** The same manifest with {@code subject} (null removes it). */
  public ImageManifest withSubject(Descriptor subject) {
    return new ImageManifest(
        schemaVersion, mediaType, artifactType, config, layers, subject, annotations);
  }

  /** The same manifest with {@code artifactType} (null removes it). */
  public ImageManifest withArtifactType(String artifactType) {
    return new ImageManifest(
        schemaVersion, mediaType, artifactType, config, layers, subject, annotations);
  }

  /** The same manifest with these annotations in place of the current ones. */
  public ImageManifest withAnnotations(Map<String, String> annotations) {
    return new ImageManifest(
        schemaVersion, mediaType, artifactType, config, layers, subject, annotations);
  }

  /** The same manifest with these layers in place of the current ones. */
  public ImageManifest withLayers(List<Descriptor> layers) {
    return new ImageManifest(
        schemaVersion, mediaType, artifactType, config, layers, subject, annotations);
  }

  /** The same manifest with this config descriptor. */
  public ImageManifest withConfig(Descriptor config) {
    return new ImageManifest(
        schemaVersion, mediaType, artifactType, config, layers, subject, annotations);
  }

  @Override
  public List<Descriptor> references() {
    List<Descriptor> all = new ArrayList<>(children());
    if (subject != null) {
      all.add(subject);
    }
    return List.copyOf(all);
  }

  @Override
  public List<Descriptor> children() {
    List<Descriptor> all = new ArrayList<>(layers.size() + 1);
    all.add(config);
    all.addAll(layers);
    return List.copyOf(all);
  }

  @Override
  public Optional<Descriptor> referrerSubject() {
    return Optional.ofNullable(subject);
  }

  @Override
  public Optional<String> referrerArtifactType() {
    return Optional.of(artifactType != null ? artifactType : config.mediaType());
  }
}
