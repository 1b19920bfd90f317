package io.slipway.store.layer;

/**
 * An entry Slipway cannot represent in an OCI layer: sparse files, sockets, tar types outside POSIX, source files whose name collides with whiteout markers, overlayfs redirects. Immutable.
 */
public final class UnsupportedEntryException extends LayerException {

  private static final long serialVersionUID = 1L;

  public UnsupportedEntryException(String entryPath, String message) {
    super(entryPath, message, null);
  }

  public UnsupportedEntryException(String entryPath, String message, Throwable cause) {
    super(entryPath, message, cause);
  }
}
