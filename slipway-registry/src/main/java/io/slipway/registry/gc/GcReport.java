package io.slipway.registry.gc;

import io.slipway.oci.Digest;
import java.time.Duration;
import java.util.List;

/**
 * What one garbage collection deleted (or, in a dry run, would delete). Immutable.
 *
 * @param dryRun true when nothing was deleted
 * @param manifests untagged manifests deleted by retention, as {@code repository@digest}
 * @param links blob links removed, as {@code repository@digest}
 * @param blobs blobs deleted from the store
 * @param bytes the size of those blobs
 * @param spared candidates a push in flight or a concurrent change saved at the last moment
 * @param took how long the run took
 */
public record GcReport(
    boolean dryRun,
    List<String> manifests,
    List<String> links,
    List<Digest> blobs,
    long bytes,
    int spared,
    Duration took) {
  public GcReport {
    manifests = List.copyOf(manifests);
    links = List.copyOf(links);
    blobs = List.copyOf(blobs);
  }

  /** One line for logs: counts, bytes, time. */
  public String summary() {
    String verb = dryRun ? "would delete" : "deleted";
    return "gc " + verb + " " + manifests.size() + " untagged manifests, " + links.size()
        + " blob links and " + blobs.size() + " blobs (" + bytes + " bytes); " + spared
        + " spared by pushes in flight; took " + took.toMillis() + " ms";
  }
}
