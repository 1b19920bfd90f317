package io.slipway.oci;

/**
 * A digest string that does not follow the OCI image spec grammar or uses an unsupported algorithm.
 * Immutable.
 */
public final class InvalidDigestException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String input;

  public InvalidDigestException(String input, String reason) {
    super("invalid digest \"" + input + "\": " + reason);
    this.input = input;
  }

  /** The rejected text, exactly as given. */
  public String input() {
    return input;
  }
}
