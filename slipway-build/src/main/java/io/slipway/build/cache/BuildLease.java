package io.slipway.build.cache;

import java.io.IOException;
import java.util.Optional;

/**
 * A running build's (or a content sweep's) claim on a builder root, held in the {@code
 * build_leases} table so other processes sharing the root see it. The cache records a build looks
 * up or writes are added to its lease ({@link BuildCache#lookup(io.slipway.oci.Digest,
 * BuildLease)}), and prune never removes a record a live lease names. Closing the lease releases
 * everything; a lease whose process died is recognised as dead by {@link BuildLeases}.
 *
 * <p>Safe for concurrent use: every operation is one database transaction.
 */
public final class BuildLease implements AutoCloseable {

  private static final BuildLease NONE = new BuildLease(null, null);

  private final BuildLeases leases;
  private final String id;

  BuildLease(BuildLeases leases, String id) {
    this.leases = leases;
    this.id = id;
  }

  /** No lease: for callers outside a build (tests, tools); holding records through it does nothing. */
  public static BuildLease none() {
    return NONE;
  }

  /** The lease's row id, empty for {@link #none()}. */
  public Optional<String> id() {
    return Optional.ofNullable(id);
  }

  /** Releases the lease and every record it holds. */
  @Override
  public void close() throws IOException {
    if (leases != null) {
      leases.release(id);
    }
  }

  @Override
  public String toString() {
    return id == null ? "no lease" : "lease " + id;
  }
}
