package io.slipway.registry.auth;

import java.util.regex.Pattern;

/**
 * A repository pattern of the access policy: {@code *} matches within one path component, {@code
 * **} matches across components, everything else matches itself. {@code team/*} matches {@code
 * team/app} but not {@code team/app/cache}; {@code team/**} matches both; {@code **} matches every
 * repository. Immutable, so safe for concurrent use.
 */
public final class RepositoryGlob {
  private final String pattern;
  private final Pattern regex;

  private RepositoryGlob(String pattern) {
    this.pattern = pattern;
    this.regex = compile(pattern);
  }

  /**
   * Parses a glob from the configuration.
   *
   * @throws IllegalArgumentException when the pattern is empty
   */
  public static RepositoryGlob of(String pattern) {
    if (pattern == null || pattern.isEmpty()) {
      throw new IllegalArgumentException("repository pattern is empty; use ** for all");
    }
    return new RepositoryGlob(pattern);
  }

  /** True when {@code repository} matches. */
  public boolean matches(String repository) {
    return regex.matcher(repository).matches();
  }

  /** The glob as written in the configuration. */
  public String pattern() {
    return pattern;
  }

  private static Pattern compile(String pattern) {
    StringBuilder regex = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
        regex.append(".*");
        i += 2;
      } else if (c == '*') {
        regex.append("[^/]*");
        i++;
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
        i++;
      }
    }
    return Pattern.compile(regex.toString());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RepositoryGlob glob && glob.pattern.equals(pattern);
  }

  @Override
  public int hashCode() {
    return pattern.hashCode();
  }

  @Override
  public String toString() {
    return pattern;
  }
}
