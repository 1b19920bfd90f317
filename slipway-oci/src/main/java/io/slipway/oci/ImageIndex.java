package io.slipway.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An index of manifests, usually one image per platform: the OCI image index ({@link
 * MediaTypes#OCI_INDEX}) or the Docker manifest list ({@link MediaTypes#DOCKER_MANIFEST_LIST}),
 * which share one JSON shape. OCI 1.1 adds {@code artifactType} and {@code subject}.
 *
 * <p>{@code mediaType}, {@code artifactType} and {@code subject} are {@code null} when absent;
 * {@code manifests} and {@code annotations} are never null. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({
  "schemaVersion",
  "mediaType",
  "artifactType",
  "manifests",
  "subject",
  "annotations"
})
public record ImageIndex(
    @JsonProperty("schemaVersion") int schemaVersion,
    @JsonProperty("mediaType") String mediaType,
    @JsonProperty("artifactType") String artifactType,
    // Written even when empty, as the reference implementation does: "manifests" is required.
    @JsonProperty("manifests") @JsonInclude(JsonInclude.Include.ALWAYS) List<Descriptor> manifests,
    @JsonProperty("subject") Descriptor subject,
    @JsonProperty("annotations") Map<String, String> annotations)
    implements Manifest {

  public ImageIndex {
    if (schemaVersion != 2) {
      throw new IllegalArgumentException("schemaVersion must be 2, got " + schemaVersion);
    }
    mediaType = Values.emptyToNull(mediaType);
    artifactType = Values.emptyToNull(artifactType);
    manifests = Values.listCopy(manifests, "manifests");
    annotations = Values.sortedCopy(annotations, "annotations");
  }

  /** An OCI image index of {@code manifests}. */
  public static ImageIndex of(List<Descriptor> manifests) {
    return new ImageIndex(2, MediaTypes.OCI_INDEX, null, manifests, null, Map.of());
  }

  /** A Docker manifest list of {@code manifests}. */
  public static ImageIndex dockerList(List<Descriptor> manifests) {
    return new ImageIndex(2, MediaTypes.DOCKER_MANIFEST_LIST, null, manifests, null, Map.of());
  }

  /** The same index with {@code subject} (null removes it). */
  public ImageIndex withSubject(Descriptor subject) {
    return new ImageIndex(schemaVersion, mediaType, artifactType, manifests, subject, annotations);
  }

  /** The same index with {@code artifactType} (null removes it). */
  public ImageIndex withArtifactType(String artifactType) {
    return new ImageIndex(schemaVersion, mediaType, artifactType, manifests, subject, annotations);
  }

  /** The same index with these annotations in place of the current ones. */
  public ImageIndex withAnnotations(Map<String, String> annotations) {
    return new ImageIndex(schemaVersion, mediaType, artifactType, manifests, subject, annotations);
  }

  /**
   * The entry a machine of {@code platform} should pull: an exact {@link Platform#matches match}
   * if there is one, else the runnable entry with the newest variant ({@link Platform#runs}),
   * else empty. Among equally good entries the first in the index wins. Entries without a
   * platform (attestations, for instance) are never chosen.
   */
  public Optional<Descriptor> select(Platform platform) {
    Comparator<Platform> preference = platform.preference();
    return manifests.stream()
        .filter(d -> d.platform() != null && platform.runs(d.platform()))
        .min((a, b) -> preference.compare(a.platform(), b.platform()));
  }

  @Override
  public List<Descriptor> references() {
    List<Descriptor> all = new ArrayList<>(manifests);
    if (subject != null) {
      all.add(subject);
    }
    return List.copyOf(all);
  }

  @Override
  public List<Descriptor> children() {
    return manifests;
  }

  @Override
  public Optional<Descriptor> referrerSubject() {
    return Optional.ofNullable(subject);
  }

  @Override
  public Optional<String> referrerArtifactType() {
    return Optional.ofNullable(artifactType);
  }
}
