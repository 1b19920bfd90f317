package io.slipway.build.dockerfile;

/**
 * A position in a Dockerfile: 1-based line and 1-based column (in characters). Immutable.
 */
public record Location(int line, int column) implements Comparable<Location>, java.io.Serializable {

  public Location {
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
    }
  }

  /** The first column of {@code line}. */
  public static Location lineStart(int line) {
    return new Location(line, 1);
  }

  @Override
  public int compareTo(Location other) {
    int byLine = Integer.compare(line, other.line);
    return byLine != 0 ? byLine : Integer.compare(column, other.column);
  }

  @Override
  public String toString() {
    return line + ":" + column;
  }
}
