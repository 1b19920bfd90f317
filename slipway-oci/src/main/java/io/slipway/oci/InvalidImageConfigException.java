package io.slipway.oci;

/**
 * Image configuration bytes that are not a JSON object of the config's shape (a field of the wrong
 * type, a bad diff ID digest). Unknown fields are never the cause. Immutable.
 */
public final class InvalidImageConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidImageConfigException(String reason) {
    super("invalid image config: " + reason);
  }
}
