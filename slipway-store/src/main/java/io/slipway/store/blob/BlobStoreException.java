package io.slipway.store.blob;

import java.io.IOException;

/** Base of the blob store's errors that callers can act on. */
public sealed class BlobStoreException extends IOException
    permits BlobNotFoundException,
        IngestNotFoundException,
        IngestInUseException,
        BlobDigestMismatchException,
        BlobSizeMismatchException,
        BlobCorruptedException {
  private static final long serialVersionUID = 1L;

  BlobStoreException(String message) {
    super(message);
  }
}
