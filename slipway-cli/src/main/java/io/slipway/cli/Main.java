package io.slipway.cli;

import picocli.CommandLine;

/** Entry point of the {@code slipway} command: runs it and exits with its exit code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(SlipwayCommand.newCommandLine(args).execute(args));
  }
}
