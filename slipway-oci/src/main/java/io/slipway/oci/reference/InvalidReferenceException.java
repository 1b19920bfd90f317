package io.slipway.oci.reference;

/**
 * An image reference, repository name or tag that breaks the distribution spec's grammar. {@link
 * #part()} says which part is at fault, so the registry can answer {@code NAME_INVALID} or {@code
 * TAG_INVALID} and the CLI can point at it. Immutable.
 */
public final class InvalidReferenceException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The part of a reference that is at fault. */
  public enum Part {
    /** The text as a whole (empty, a trailing ":" or "@"). */
    REFERENCE,
    /** The registry host or port. */
    REGISTRY,
    /** The repository name (path components, length). */
    REPOSITORY,
    /** The tag. */
    TAG,
    /** The digest after "@". */
    DIGEST
  }

  private final String input;
  private final Part part;
  private final String reason;

  InvalidReferenceException(String what, String input, Part part, String reason) {
    super("invalid " + what + " \"" + input + "\": " + reason);
    this.input = input;
    this.part = part;
    this.reason = reason;
  }

  /** The rejected text, exactly as given. */
  public String input() {
    return input;
  }

  /** Which part of the input is at fault. */
  public Part part() {
    return part;
  }

  /** Why it was rejected, without the input (the message is {@code invalid … "input": reason}). */
  public String reason() {
    return reason;
  }
}
