package io.slipway.registry;

import java.util.regex.Pattern;

/**
 * Validates repository names and tags against the OCI Distribution Spec grammar.
 *
 * <p>Names are {@code [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*} and,
 * as in distribution, at most 255 characters; tags are {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}.
 * Stateless and thread-safe.
 */
public final class RepositoryName {
  /** Longest accepted name, matching distribution's limit. */
  public static final int MAX_LENGTH = 255;

  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
  private static final Pattern NAME =
      Pattern.compile(COMPONENT.pattern() + "(?:/" + COMPONENT.pattern() + ")*");
  private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

  private RepositoryName() {}

  /** Returns {@code name} when valid, else throws {@link ErrorCode#NAME_INVALID}. */
  public static String check(String name) {
    if (name.isEmpty() || name.length() > MAX_LENGTH || !NAME.matcher(name).matches()) {
      throw RegistryException.of(
          ErrorCode.NAME_INVALID,
          "invalid repository name \"" + abbreviate(name) + "\": use at most " + MAX_LENGTH
              + " lowercase letters, digits and . _ __ - separators, components joined by /");
    }
    return name;
  }

  /** True when {@code tag} follows the tag grammar. */
  public static boolean isValidTag(String tag) {
    return TAG.matcher(tag).matches();
  }

  /** Returns {@code tag} when valid, else throws {@link ErrorCode#TAG_INVALID}. */
  public static String checkTag(String tag) {
    if (!isValidTag(tag)) {
      throw RegistryException.of(
          ErrorCode.TAG_INVALID,
          "invalid tag \"" + abbreviate(tag) + "\": use 1 to 128 of [A-Za-z0-9_.-], not starting"
              + " with . or -");
    }
    return tag;
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
