package io.slipway.diff.image;

import java.io.IOException;

/**
 * An image could not be read: it is missing, malformed, or lacks a blob. The message names the
 * image and the part at fault. Immutable.
 */
public final class ImageInputException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String image;

  public ImageInputException(String image, String problem) {
    super(image + ": " + problem);
    this.image = image;
  }

  public ImageInputException(String image, String problem, Throwable cause) {
    super(image + ": " + problem, cause);
    this.image = image;
  }

  /** The image as the user named it. */
  public String image() {
    return image;
  }
}
