package io.slipway.oci;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What can be read from a JSON manifest whose media type Slipway does not know (a schema 1
 * manifest, an experimental artifact type): its {@code mediaType}, {@code artifactType}, {@code
 * subject}, annotations and any well-formed descriptors under the fields manifests commonly use
 * ({@code config}, {@code layers}, {@code manifests}, {@code blobs}). Fields of the wrong shape are
 * ignored rather than rejected, because the spec lets registries store manifests they do not
 * understand. Immutable.
 */
public record UnknownManifest(
    String mediaType,
    String artifactType,
    List<Descriptor> children,
    Descriptor subject,
    Map<String, String> annotations)
    implements Manifest {

  public UnknownManifest {
    mediaType = Values.emptyToNull(mediaType);
    artifactType = Values.emptyToNull(artifactType);
    children = Values.listCopy(children, "children");
    annotations = Values.sortedCopy(annotations, "annotations");
  }

  @Override
  public List<Descriptor> references() {
    if (subject == null) {
      return children;
    }
    return Stream.concat(children.stream(), Stream.of(subject)).toList();
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
