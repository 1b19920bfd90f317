package io.slipway.diff.structured;

/**
 * One difference between two documents. Immutable.
 *
 * @param operation what happened at the path
 * @param pointer the RFC 6901 JSON Pointer the JSON Patch operation applies to; array indices are
 *     the ones in effect when the patch's operations are applied in order
 * @param path a path for people: like the pointer, but an array element matched by key is shown
 *     as {@code containers[name=web]} rather than by index
 */
public record Change(Operation operation, String pointer, String path) {

  /** The three RFC 6902 operations a comparison produces. */
  public enum Operation {
    ADD,
    REMOVE,
    REPLACE;

    /** The operation's name in JSON Patch. */
    public String patchName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
