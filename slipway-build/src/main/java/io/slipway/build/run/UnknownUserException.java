package io.slipway.build.run;

/**
 * A {@code USER} value that the image's {@code /etc/passwd} and {@code /etc/group} cannot resolve,
 * such as a name with no entry. The message names the value and what is missing. Immutable.
 */
public final class UnknownUserException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String user;

  UnknownUserException(String user, String reason) {
    super("unable to find user \"" + user + "\": " + reason);
    this.user = user;
  }

  /** The USER value as written. */
  public String user() {
    return user;
  }
}
