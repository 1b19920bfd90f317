package io.slipway.oci.reference;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * A repository name as it appears in registry API paths ({@code /v2/<name>/…}), such as {@code
 * library/busybox}: one or more lowercase path components joined by {@code /}, each matching
 * {@code [a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*}, at most 255 characters in all. It holds no
 * registry host; {@link Reference} pairs one with a host. Immutable.
 */
public record RepositoryName(@JsonValue String value)
    implements Comparable<RepositoryName> {

  /** The longest name accepted. */
  public static final int MAX_LENGTH = Grammar.NAME_MAX_LENGTH;

  public RepositoryName {
    if (value == null) {
      throw new InvalidReferenceException(
          "repository name", "null", InvalidReferenceException.Part.REPOSITORY,
          "repository name is empty");
    }
    Grammar.checkRepository(value)
        .ifPresent(
            p -> {
              throw new InvalidReferenceException("repository name", value, p.part(), p.reason());
            });
  }

  /**
   * Parses a repository name, as the registry does for a request path.
   *
   * @throws InvalidReferenceException naming the rule broken
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static RepositoryName parse(String text) {
    return new RepositoryName(text);
  }

  /** True when {@code text} is a valid repository name. */
  public static boolean isValid(String text) {
    return text != null && Grammar.checkRepository(text).isEmpty();
  }

  /** The path components, such as {@code [library, busybox]}. */
  public List<String> components() {
    return List.of(value.split("/"));
  }

  @Override
  public String toString() {
    return value;
  }

  @Override
  public int compareTo(RepositoryName other) {
    return value.compareTo(other.value);
  }
}
