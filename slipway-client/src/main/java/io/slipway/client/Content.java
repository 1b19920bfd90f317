package io.slipway.client;

import io.slipway.oci.Digest;
import java.util.Objects;

/**
 * What the client knows of a piece of remote content: media type, digest and size, as a registry
 * reports them or a manifest lists them. Immutable.
 */
public record Content(String mediaType, Digest digest, long size) {
  public Content {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
  }
}
