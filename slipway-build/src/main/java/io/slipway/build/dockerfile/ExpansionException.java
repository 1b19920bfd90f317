package io.slipway.build.dockerfile;

import java.util.Objects;

/**
 * A variable expansion that failed: a malformed {@code ${…}} or a required variable that is unset.
 * Thrown by {@link ShellLexer}, which knows nothing of files and lines; the caller that knows where
 * the word came from turns it into a {@link DockerfileException}. Immutable.
 */
public final class ExpansionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final DockerfileException.Kind kind;

  public ExpansionException(DockerfileException.Kind kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /** {@link DockerfileException.Kind#BAD_SUBSTITUTION} or {@link DockerfileException.Kind#UNDEFINED_REQUIRED_VARIABLE}. */
  public DockerfileException.Kind kind() {
    return kind;
  }

  /** Wraps this failure with the location of the word that was being expanded. */
  public DockerfileException at(String file, Location location, String text) {
    DockerfileException wrapped = new DockerfileException(kind, file, location, text, getMessage());
    wrapped.initCause(this);
    return wrapped;
  }
}
