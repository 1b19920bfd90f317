package io.slipway.build.dockerfile;

/**
 * The lines an instruction spans, from its keyword to its last continuation or heredoc line, both
 * inclusive and 1-based. Immutable.
 */
public record SourceRange(int startLine, int endLine) {

  public SourceRange {
    if (startLine < 1 || endLine < startLine) {
      throw new IllegalArgumentException("bad line range " + startLine + "-" + endLine);
    }
  }

  /** Where the instruction begins. */
  public Location start() {
    return Location.lineStart(startLine);
  }

  @Override
  public String toString() {
    return startLine == endLine ? String.valueOf(startLine) : startLine + "-" + endLine;
  }
}
