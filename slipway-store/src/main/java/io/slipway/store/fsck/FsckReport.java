package io.slipway.store.fsck;

import java.util.List;

/**
 * What a {@link Fsck} run found. Immutable.
 *
 * @param blobsChecked how many blobs were re-hashed
 * @param bytesChecked how many bytes were re-hashed
 * @param findings everything wrong, repaired or not
 * @param orphanCheckSkipped why orphans were not looked for, or null when they were
 */
public record FsckReport(
    long blobsChecked, long bytesChecked, List<Finding> findings, String orphanCheckSkipped) {

  /** Exit code 0 when everything was clean. */
  public static final int CLEAN = 0;

  /** Exit code 1 when problems were found and all of them repaired. */
  public static final int REPAIRED = 1;

  /** Exit code 2 when problems remain. */
  public static final int PROBLEMS_LEFT = 2;

  public FsckReport {
    findings = List.copyOf(findings);
  }

  /** {@link #CLEAN}, {@link #REPAIRED} or {@link #PROBLEMS_LEFT}, as {@code slipway fsck} exits. */
  public int exitCode() {
    if (findings.isEmpty()) {
      return CLEAN;
    }
    return findings.stream().allMatch(Finding::repaired) ? REPAIRED : PROBLEMS_LEFT;
  }
}
