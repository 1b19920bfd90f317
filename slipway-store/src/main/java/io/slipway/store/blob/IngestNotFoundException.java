package io.slipway.store.blob;

/** No ingest with the given id exists (never started, committed, aborted or cleaned up). */
public final class IngestNotFoundException extends BlobStoreException {
  private static final long serialVersionUID = 1L;

  private final String ingestId;

  public IngestNotFoundException(String ingestId) {
    super("no ingest with id " + ingestId);
    this.ingestId = ingestId;
  }

  public String ingestId() {
    return ingestId;
  }
}
