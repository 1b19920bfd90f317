package io.slipway.build.run;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The serialized {@code config.json} of the latest step, reused by the next step whose {@link
 * RuntimeSpec} is equal. A chain of identical RUN steps ({@code RUN true} twenty times, or the same
 * command in several stages) has equal specs, since the step's own files are named relative to its
 * bundle, so only the first pays for building the JSON tree and serializing it; the others compare
 * two records and write the bytes.
 *
 * <p>A spec that may carry secret values (a step with secret mounts, whose {@code env=} values go
 * into the process environment) is never kept, so no secret outlives its step in memory here.
 *
 * <p>Safe for concurrent use: one reference swapped atomically; the kept bytes are never written
 * to.
 */
final class SpecBytes {

  private record Entry(RuntimeSpec spec, byte[] json) {}

  private final AtomicReference<Entry> last = new AtomicReference<>();

  /**
   * The bytes of {@code spec}: the kept ones when the latest kept spec is equal, else freshly
   * serialized, and kept for the next step when {@code keep} (false for specs holding secrets).
   * The caller must not modify the array.
   */
  byte[] of(RuntimeSpec spec, boolean keep) throws IOException {
    Entry entry = last.get();
    if (entry != null && entry.spec().equals(spec)) {
      return entry.json();
    }
    byte[] json = spec.toBytes();
    if (keep) {
      last.set(new Entry(spec, json));
    }
    return json;
  }
}
