package io.slipway.build.dockerfile;

import java.util.regex.Pattern;

/**
 * Checks the value of {@code --chmod}: an octal mode up to {@code 7777} ({@code 755},
 * {@code 0644}) or a symbolic one as chmod(1) takes it ({@code u+x}, {@code go-w},
 * {@code a=rX,u+s}). Stateless and thread-safe.
 */
public final class Chmod {

  private static final Pattern OCTAL = Pattern.compile("[0-7]{1,4}");
  private static final Pattern SYMBOLIC_CLAUSE =
      Pattern.compile("[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+");

  private Chmod() {}

  /** True when {@code value} is an octal mode. */
  public static boolean isOctal(String value) {
    return OCTAL.matcher(value).matches();
  }

  /** True when {@code value} is an octal or symbolic mode. */
  public static boolean isValid(String value) {
    if (isOctal(value)) {
      return true;
    }
    if (value.isEmpty()) {
      return false;
    }
    for (String clause : value.split(",", -1)) {
      if (!SYMBOLIC_CLAUSE.matcher(clause).matches()) {
        return false;
      }
    }
    return true;
  }
}
