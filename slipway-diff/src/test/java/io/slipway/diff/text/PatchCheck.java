package io.slipway.diff.text;

/** Lets tests outside this package apply a unified diff with the strict test applier. Stateless. */
public final class PatchCheck {
  private PatchCheck() {}

  /** Applies {@code patch} to {@code original}; throws AssertionError when it does not apply. */
  public static byte[] apply(byte[] original, byte[] patch) {
    return UnifiedPatch.apply(original, patch);
  }
}
