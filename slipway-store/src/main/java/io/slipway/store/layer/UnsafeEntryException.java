package io.slipway.store.layer;

/**
 * An entry would reach outside the extraction root (a `..` name, an absolute name, a link or symlink leading out). Nothing has been written outside the root when this is thrown. Immutable.
 */
public final class UnsafeEntryException extends LayerException {

  private static final long serialVersionUID = 1L;

  public UnsafeEntryException(String entryPath, String message) {
    super(entryPath, message, null);
  }

  public UnsafeEntryException(String entryPath, String message, Throwable cause) {
    super(entryPath, message, cause);
  }
}
