package io.slipway.testing.images;

import java.nio.file.Path;
import java.util.List;

/**
 * An image {@link TestImages} wrote into an OCI image layout. Digests are strings ({@code
 * sha256:…}) because this module depends on no other Slipway module. Immutable.
 *
 * @param layout the OCI image layout directory (holds {@code oci-layout}, {@code index.json},
 *     {@code blobs/})
 * @param tag the {@code org.opencontainers.image.ref.name} of the image in {@code index.json}, so
 *     skopeo reads it as {@code oci:<layout>:<tag>}
 * @param digest digest of the top-level manifest (an image manifest, or an image index)
 * @param mediaType media type of the top-level manifest
 * @param manifests digests of every image manifest (one, or one per platform of an index)
 * @param blobs digests of every config and layer blob
 */
public record TestImage(
    Path layout,
    String tag,
    String digest,
    String mediaType,
    List<String> manifests,
    List<String> blobs) {

  public TestImage {
    manifests = List.copyOf(manifests);
    blobs = List.copyOf(blobs);
  }

  /** The reference skopeo and Slipway use for this image: {@code oci:<layout>:<tag>}. */
  public String ociReference() {
    return "oci:" + layout + ":" + tag;
  }

  /** The file holding the blob or manifest with this digest. */
  public Path blobPath(String digest) {
    int colon = digest.indexOf(':');
    return layout.resolve("blobs").resolve(digest.substring(0, colon)).resolve(digest.substring(colon + 1));
  }
}
