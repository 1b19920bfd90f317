package io.slipway.store.blob;

/**
 * A resumable ingest is held by another writer, in this process or another one sharing the store.
 * Retry once that writer has closed; two writers appending to one ingest would corrupt it.
 * Immutable once thrown.
 */
public final class IngestInUseException extends BlobStoreException {
  private static final long serialVersionUID = 1L;

  private final String ingestId;

  public IngestInUseException(String ingestId) {
    super("ingest " + ingestId + " is in use by another writer; retry after it is closed");
    this.ingestId = ingestId;
  }

  public String ingestId() {
    return ingestId;
  }
}
