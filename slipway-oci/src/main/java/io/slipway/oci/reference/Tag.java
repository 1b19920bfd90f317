package io.slipway.oci.reference;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A tag such as {@code latest} or {@code 1.36-glibc}: {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}
 * per the distribution spec. Immutable.
 */
public record Tag(@JsonValue String value) implements Comparable<Tag> {

  /** The tag a reference gets when it names neither tag nor digest. */
  public static final Tag LATEST = new Tag("latest");

  /** The longest tag accepted. */
  public static final int MAX_LENGTH = Grammar.TAG_MAX_LENGTH;

  public Tag {
    if (value == null) {
      throw new InvalidReferenceException(
          "tag", "null", InvalidReferenceException.Part.TAG, "tag is empty");
    }
    Grammar.checkTag(value)
        .ifPresent(
            p -> {
              throw new InvalidReferenceException("tag", value, p.part(), p.reason());
            });
  }

  /**
   * Parses a tag, as the registry does for a request path.
   *
   * @throws InvalidReferenceException naming the rule broken
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Tag parse(String text) {
    return new Tag(text);
  }

  /** True when {@code text} is a valid tag. */
  public static boolean isValid(String text) {
    return text != null && Grammar.checkTag(text).isEmpty();
  }

  @Override
  public String toString() {
    return value;
  }

  @Override
  public int compareTo(Tag other) {
    return value.compareTo(other.value);
  }
}
