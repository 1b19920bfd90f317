package io.slipway.store.blob;

/** Written content had another length than the one the writer promised. Nothing was stored. */
public final class BlobSizeMismatchException extends BlobStoreException {
  private static final long serialVersionUID = 1L;

  private final long expected;
  private final long actual;

  public BlobSizeMismatchException(long expected, long actual) {
    super("size mismatch: expected " + expected + " bytes, got " + actual);
    this.expected = expected;
    this.actual = actual;
  }

  public long expected() {
    return expected;
  }

  public long actual() {
    return actual;
  }
}
