package io.slipway.build.dockerfile;

import java.util.Objects;

/**
 * A here-document attached to a RUN, COPY or ADD instruction, such as {@code <<EOF … EOF}.
 *
 * <p>{@code rawContent} is the body exactly as written, each line ending in a newline. {@code chomp}
 * is set for {@code <<-EOF}, which strips leading tabs from every body line; {@code expand} is
 * cleared when any part of the delimiter was quoted ({@code <<"EOF"}, {@code <<'EOF'}), which turns
 * variable expansion off for the body. {@code fileDescriptor} is the optional number before
 * {@code <<} ({@code 3<<EOF}), 0 when absent. Immutable.
 */
public record Heredoc(
    String name, String rawContent, boolean expand, boolean chomp, int fileDescriptor) {

  public Heredoc {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(rawContent, "rawContent");
  }

  /** The body as the build sees it: with leading tabs removed from each line for {@code <<-}. */
  public String content() {
    return chomp ? chompTabs(rawContent) : rawContent;
  }

  /** Removes leading tab characters from every line, as {@code <<-} does in the shell. */
  static String chompTabs(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean lineStart = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (lineStart && c == '\t') {
        continue;
      }
      lineStart = c == '\n';
      out.append(c);
    }
    return out.toString();
  }
}
