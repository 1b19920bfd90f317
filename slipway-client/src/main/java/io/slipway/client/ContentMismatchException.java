package io.slipway.client;

/**
 * Content from a registry did not match what was asked for: a manifest whose bytes hash to another
 * digest, or a blob longer or shorter than its descriptor says. Nothing was stored.
 */
public final class ContentMismatchException extends ClientException {
  private static final long serialVersionUID = 1L;

  public ContentMismatchException(String message) {
    super(message);
  }
}
