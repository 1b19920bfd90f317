package io.slipway.build.run;

/**
 * Receives a RUN process's output line by line as it is produced, for the progress display.
 * Called from the threads that read the process's pipes, possibly two at once (one per stream), so
 * implementations must be safe for concurrent use. An exception thrown here is ignored: the output
 * keeps being read so the process never blocks on a full pipe.
 */
@FunctionalInterface
public interface OutputListener {

  /** Which of the process's streams a line came from. */
  enum Stream {
    STDOUT,
    STDERR
  }

  /** One line, without its line terminator; very long lines arrive in pieces. */
  void line(Stream stream, String line);

  /** A listener that drops everything. */
  static OutputListener discard() {
    return (stream, line) -> {};
  }
}
