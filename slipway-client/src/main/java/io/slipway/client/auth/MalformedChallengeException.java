package io.slipway.client.auth;

/** A {@code WWW-Authenticate} header that does not follow RFC 9110's challenge grammar. */
public final class MalformedChallengeException extends AuthException {
  private static final long serialVersionUID = 1L;

  private final String header;
  private final int position;

  public MalformedChallengeException(String header, int position, String problem) {
    super("malformed WWW-Authenticate header at position " + position + ": " + problem
        + " in [" + header + "]");
    this.header = header;
    this.position = position;
  }

  /** The header as received. */
  public String header() {
    return header;
  }

  /** Zero-based character position of the problem. */
  public int position() {
    return position;
  }
}
