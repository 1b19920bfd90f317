package io.slipway.oci;

/**
 * Manifest or index bytes that cannot be read as their media type says: not JSON, a required field
 * missing, a field of the wrong shape, or a {@code mediaType} field that contradicts the declared
 * type. The registry answers these with {@code MANIFEST_INVALID}. Immutable.
 */
public final class InvalidManifestException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidManifestException(String reason) {
    super("invalid manifest: " + reason);
  }
}
