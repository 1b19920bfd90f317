package io.slipway.build.dockerfile;

/**
 * Shell glob matching for the pattern forms of variable expansion ({@code ${v#p}}, {@code ${v%p}},
 * {@code ${v/p/r}}): {@code *} matches any run of characters (slashes included), {@code ?} any one
 * character, {@code [...]} a class ({@code [!...]} or {@code [^...]} negated, ranges allowed) and
 * a backslash makes the next character literal. Stateless and thread-safe.
 */
final class ShellPattern {

  private ShellPattern() {}

  /** True when all of {@code text[from, to)} matches all of {@code pattern}. */
  static boolean matches(String pattern, String text, int from, int to) {
    return match(pattern, 0, text, from, to);
  }

  private static boolean match(String p, int pi, String s, int si, int end) {
    while (pi < p.length()) {
      char c = p.charAt(pi);
      switch (c) {
        case '*' -> {
          while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
          }
          if (pi == p.length()) {
            return true;
          }
          for (int k = si; k <= end; k++) {
            if (match(p, pi, s, k, end)) {
              return true;
            }
          }
          return false;
        }
        case '?' -> {
          if (si >= end) {
            return false;
          }
          pi++;
          si++;
        }
        case '[' -> {
          int close = classEnd(p, pi);
          if (close < 0) {
            // An unclosed class is a literal bracket, as in the shell.
            if (si >= end || s.charAt(si) != '[') {
              return false;
            }
            pi++;
            si++;
          } else {
            if (si >= end || !classMatches(p, pi + 1, close, s.charAt(si))) {
              return false;
            }
            pi = close + 1;
            si++;
          }
        }
        case '\\' -> {
          char literal = pi + 1 < p.length() ? p.charAt(pi + 1) : '\\';
          if (si >= end || s.charAt(si) != literal) {
            return false;
          }
          pi += pi + 1 < p.length() ? 2 : 1;
          si++;
        }
        default -> {
          if (si >= end || s.charAt(si) != c) {
            return false;
          }
          pi++;
          si++;
        }
      }
    }
    return si == end;
  }

  private static int classEnd(String p, int open) {
    int i = open + 1;
    if (i < p.length() && (p.charAt(i) == '!' || p.charAt(i) == '^')) {
      i++;
    }
    if (i < p.length() && p.charAt(i) == ']') {
      i++;
    }
    for (; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == ']') {
        return i;
      }
    }
    return -1;
  }

  private static boolean classMatches(String p, int from, int close, char ch) {
    boolean negate = false;
    int i = from;
    if (p.charAt(i) == '!' || p.charAt(i) == '^') {
      negate = true;
      i++;
    }
    boolean found = false;
    boolean first = true;
    while (i < close) {
      char lo = p.charAt(i);
      if (lo == '\\' && i + 1 < close) {
        lo = p.charAt(++i);
      } else if (lo == ']' && !first) {
        break;
      }
      first = false;
      i++;
      char hi = lo;
      if (i + 1 < close && p.charAt(i) == '-') {
        hi = p.charAt(i + 1);
        if (hi == '\\' && i + 2 < close) {
          hi = p.charAt(i + 2);
          i++;
        }
        i += 2;
      }
      if (lo <= ch && ch <= hi) {
        found = true;
      }
    }
    return found != negate;
  }
}
