package io.slipway.store.layer;

/**
 * The bytes are not a well-formed tar (bad checksum, truncated data, bad number field, oversized extended header). Immutable.
 */
public final class MalformedLayerException extends LayerException {

  private static final long serialVersionUID = 1L;

  public MalformedLayerException(String entryPath, String message) {
    super(entryPath, message, null);
  }

  public MalformedLayerException(String entryPath, String message, Throwable cause) {
    super(entryPath, message, cause);
  }
}
