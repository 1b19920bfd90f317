package io.slipway.client;

/**
 * A registry answered with content this client cannot use: an unknown manifest media type, a
 * manifest over the size limit, or an index with no manifest for the requested platform.
 */
public final class UnsupportedContentException extends ClientException {
  private static final long serialVersionUID = 1L;

  public UnsupportedContentException(String message) {
    super(message);
  }
}
