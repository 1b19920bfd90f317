package io.slipway.store.fsck;

import java.util.Objects;

/**
 * A metadata record that points at content the store does not hold (or holds corrupt). Immutable.
 *
 * @param index name of the {@link ContentIndex} that owns the record, such as {@code registry}
 * @param kind what sort of record it is, such as {@code blob link} or {@code manifest}
 * @param key what identifies the record, such as {@code library/app@sha256:…}
 * @param problem what is wrong, naming the digest or path at fault
 * @param repairable whether {@link ContentIndex#repair} may remove it; false for records a human
 *     must decide about (a registry manifest whose layers are gone is reported, never deleted)
 */
public record BrokenRecord(
    String index, String kind, String key, String problem, boolean repairable) {
  public BrokenRecord {
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(problem, "problem");
  }

  @Override
  public String toString() {
    return index + " " + kind + " " + key + ": " + problem;
  }
}
