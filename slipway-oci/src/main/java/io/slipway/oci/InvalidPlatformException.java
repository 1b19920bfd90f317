package io.slipway.oci;

/**
 * A platform string such as {@code linux/arm64/v8} that is not {@code os/architecture[/variant]}.
 * Immutable.
 */
public final class InvalidPlatformException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String input;

  public InvalidPlatformException(String input, String reason) {
    super("invalid platform \"" + input + "\": " + reason);
    this.input = input;
  }

  /** The rejected text, exactly as given. */
  public String input() {
    return input;
  }
}
