package io.slipway.build.fileop;

import java.util.regex.Pattern;

/**
 * Go {@code filepath.Match} patterns as COPY sources use them: {@code *} and {@code ?} within one
 * path element, {@code [...]} classes ({@code [^...]} or {@code [!...]} negated), backslash
 * escapes. Stateless and thread-safe.
 */
public final class Globs {

  private static final Pattern WILDCARD = Pattern.compile("[*?\\[]");

  private Globs() {}

  /** True when {@code path} holds a wildcard character. */
  public static boolean hasWildcard(String path) {
    return WILDCARD.matcher(path).find();
  }

  /** A regular expression matching what {@code glob} matches ({@code /} only literally). */
  public static Pattern compile(String glob) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> regex.append("[^/]*");
        case '?' -> regex.append("[^/]");
        case '[' -> {
          int end = glob.indexOf(']', i + 2);
          if (end < 0) {
            regex.append("\\[");
          } else {
            String body = glob.substring(i + 1, end);
            boolean negated = body.startsWith("^") || body.startsWith("!");
            if (negated) {
              body = body.substring(1);
            }
            regex.append(negated ? "[^/" : "[");
            for (char b : body.toCharArray()) {
              if (b == '\\' || b == '[' || b == '&' || b == '^') {
                regex.append('\\');
              }
              regex.append(b);
            }
            regex.append(']');
            i = end;
          }
        }
        case '\\' -> {
          if (i + 1 < glob.length()) {
            regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
          }
        }
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
