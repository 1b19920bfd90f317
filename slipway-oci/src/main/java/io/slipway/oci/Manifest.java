package io.slipway.oci;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed view of manifest bytes: an image manifest, an index, or a manifest of a type Slipway
 * does not know. The bytes themselves, and therefore the digest, live in {@link ManifestBytes};
 * this view is for reading what the manifest refers to.
 *
 * <p>Implementations are immutable.
 */
public sealed interface Manifest permits ImageManifest, ImageIndex, UnknownManifest {

  /** The {@code mediaType} field of the document, or {@code null} when the document has none. */
  String mediaType();

  /** The annotations of the manifest itself, sorted by key; empty when there are none. */
  Map<String, String> annotations();

  /**
   * Every descriptor the manifest holds, in document order: config then layers for an image
   * manifest, the child manifests for an index, and the subject last when there is one.
   */
  List<Descriptor> references();

  /**
   * The content this manifest is made of, which a registry must hold before accepting it and
   * which garbage collection keeps alive: {@link #references()} without the subject. A subject is
   * excluded because a referrer may be pushed before the image it refers to, and does not keep it
   * alive.
   */
  List<Descriptor> children();

  /** The manifest this one refers to through {@code subject}, as the referrers API indexes it. */
  Optional<Descriptor> referrerSubject();

  /**
   * The artifact type the referrers API reports for this manifest: its {@code artifactType} field,
   * else (for an image manifest) its config's media type; empty when neither exists.
   */
  Optional<String> referrerArtifactType();
}
