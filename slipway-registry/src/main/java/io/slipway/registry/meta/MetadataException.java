package io.slipway.registry.meta;

/** The metadata database failed; the registry answers 500 and logs the cause. */
public final class MetadataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MetadataException(String message, Throwable cause) {
    super(message, cause);
  }
}
