package io.slipway.build.context;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One compiled {@code .dockerignore} pattern: Go {@code filepath.Match} syntax ({@code *} and
 * {@code ?} within one path element, {@code [...]} classes, backslash escapes) plus {@code **} for
 * any number of elements, matched against the whole slash-separated relative path. An
 * {@code exclusion} ({@code !pattern}) re-includes what earlier patterns ignored. Immutable.
 */
public record IgnorePattern(String text, boolean exclusion, Pattern regex) {

  public IgnorePattern {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(regex, "regex");
  }

  /**
   * Compiles a cleaned pattern (without its {@code !}); throws {@link IllegalArgumentException}
   * with Go's "syntax error in pattern" for an unclosed class or a trailing escape.
   */
  public static IgnorePattern compile(String pattern, boolean exclusion) {
    StringBuilder regex = new StringBuilder("^");
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i++);
      switch (c) {
        case '*' -> {
          if (i < pattern.length() && pattern.charAt(i) == '*') {
            i++;
            if (i < pattern.length() && pattern.charAt(i) == '/') {
              i++;
            }
            regex.append(i >= pattern.length() ? ".*" : "(.*/)?");
          } else {
            regex.append("[^/]*");
          }
        }
        case '?' -> regex.append("[^/]");
        case '\\' -> {
          if (i >= pattern.length()) {
            throw new IllegalArgumentException("syntax error in pattern");
          }
          literal(regex, pattern.charAt(i++));
        }
        case '[' -> i = characterClass(pattern, i, regex);
        default -> literal(regex, c);
      }
    }
    regex.append('$');
    return new IgnorePattern(pattern, exclusion, Pattern.compile(regex.toString()));
  }

  private static void literal(StringBuilder regex, char c) {
    if (Character.isLetterOrDigit(c) || c == '/' || c == '_' || c > 127) {
      regex.append(c);
    } else {
      regex.append('\\').append(c);
    }
  }

  /** Copies a class starting after {@code [}; returns the index after its {@code ]}. */
  private static int characterClass(String pattern, int start, StringBuilder regex) {
    StringBuilder out = new StringBuilder("[");
    int i = start;
    if (i < pattern.length() && pattern.charAt(i) == '^') {
      out.append('^');
      i++;
    }
    boolean any = false;
    while (i < pattern.length()) {
      char c = pattern.charAt(i++);
      if (c == ']' && any) {
        regex.append(out).append(']');
        return i;
      }
      any = true;
      if (c == '\\') {
        if (i >= pattern.length()) {
          break;
        }
        c = pattern.charAt(i++);
        out.append('\\').append(c);
      } else if (c == '-') {
        out.append('-');
      } else if (Character.isLetterOrDigit(c)) {
        out.append(c);
      } else {
        out.append('\\').append(c);
      }
    }
    throw new IllegalArgumentException("syntax error in pattern");
  }

  /** True when the whole of {@code path} matches. */
  public boolean matches(String path) {
    return regex.matcher(path).matches();
  }
}
