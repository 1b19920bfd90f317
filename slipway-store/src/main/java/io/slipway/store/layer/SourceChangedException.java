package io.slipway.store.layer;

/**
 * A file changed size while it was being written into a layer, so the layer would not match its header. Retry once the source is quiescent. Immutable.
 */
public final class SourceChangedException extends LayerException {

  private static final long serialVersionUID = 1L;

  public SourceChangedException(String entryPath, String message) {
    super(entryPath, message, null);
  }

  public SourceChangedException(String entryPath, String message, Throwable cause) {
    super(entryPath, message, cause);
  }
}
