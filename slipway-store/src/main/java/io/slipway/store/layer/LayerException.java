package io.slipway.store.layer;

import java.io.IOException;

/**
 * A layer could not be read, written or extracted because of one entry; {@link #entryPath()} names
 * it as the archive spells it. Callers can tell hostile or broken input ({@link
 * UnsafeEntryException}, {@link MalformedLayerException}) from what Slipway cannot represent
 * ({@link UnsupportedEntryException}) and from a source that moved underneath ({@link
 * SourceChangedException}). Immutable.
 */
public abstract sealed class LayerException extends IOException
    permits UnsafeEntryException,
        MalformedLayerException,
        UnsupportedEntryException,
        SourceChangedException {

  private static final long serialVersionUID = 1L;

  private final String entryPath;

  LayerException(String entryPath, String message, Throwable cause) {
    super(entryPath.isEmpty() ? message : "\"" + entryPath + "\": " + message, cause);
    this.entryPath = entryPath;
  }

  /** The entry at fault, empty when the fault is in the archive framing before any name. */
  public String entryPath() {
    return entryPath;
  }
}
