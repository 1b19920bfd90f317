package io.slipway.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * One {@code slipway} command run in this JVM with its stdout and stderr captured, for tests of
 * the command line. Swaps {@code System.out}/{@code System.err} while it runs, so runs must not
 * overlap: not safe for concurrent use.
 *
 * @param exitCode the command's exit status
 * @param out what it printed to stdout
 * @param err what it printed to stderr
 */
record CliRun(int exitCode, String out, String err) {

  /** Runs {@code slipway ARGS}. */
  static CliRun of(String... args) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      var commandLine = SlipwayCommand.newCommandLine();
      commandLine.setErr(new PrintWriter(System.err, true));
      int code = commandLine.execute(args);
      return new CliRun(code, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }
}
