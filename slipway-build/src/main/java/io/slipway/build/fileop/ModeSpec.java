package io.slipway.build.fileop;

/**
 * Applies a {@code --chmod} value to a mode: octal ({@code 755}, {@code 0644}) replaces the
 * permission bits; symbolic clauses ({@code u+x,go-w}, {@code a=rX}) change them as
 * {@code chmod(1)} does. Stateless and thread-safe.
 */
public final class ModeSpec {

  private ModeSpec() {}

  /** The mode {@code spec} gives an entry whose current mode is {@code mode}. */
  public static int apply(String spec, int mode, boolean directory) throws FileOpException {
    if (!spec.isEmpty() && spec.chars().allMatch(c -> c >= '0' && c <= '7')) {
      return (mode & ~07777) | (Integer.parseInt(spec, 8) & 07777);
    }
    int result = mode;
    for (String clause : spec.split(",")) {
      int i = 0;
      int who = 0;
      while (i < clause.length() && "ugoa".indexOf(clause.charAt(i)) >= 0) {
        who |= switch (clause.charAt(i)) {
          case 'u' -> 04700;
          case 'g' -> 02070;
          case 'o' -> 01007;
          default -> 07777;
        };
        i++;
      }
      if (who == 0) {
        who = 07777;
      }
      if (i >= clause.length() || "+-=".indexOf(clause.charAt(i)) < 0) {
        throw new FileOpException("invalid --chmod \"" + spec + "\": use 755 or u+x,go-w");
      }
      char op = clause.charAt(i++);
      int bits = 0;
      for (; i < clause.length(); i++) {
        bits |= switch (clause.charAt(i)) {
          case 'r' -> 0444;
          case 'w' -> 0222;
          case 'x' -> 0111;
          case 'X' -> directory || (mode & 0111) != 0 ? 0111 : 0;
          case 's' -> 06000;
          case 't' -> 01000;
          default -> throw new FileOpException(
              "invalid --chmod \"" + spec + "\": unknown permission '" + clause.charAt(i) + "'");
        };
      }
      bits &= who;
      result = switch (op) {
        case '+' -> result | bits;
        case '-' -> result & ~bits;
        default -> (result & ~(who & 07777)) | bits;
      };
    }
    return result;
  }
}
