package io.slipway.cli;

import picocli.CommandLine;

/**
 * Entry point of the {@code slipway} command: runs it and exits with its exit code. The hidden
 * argument {@code --train-class-archive} runs the launcher's class-archive training instead
 * ({@link ClassArchiveTraining}). Called once, on the main thread.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws java.io.IOException {
    if (args.length == 1 && args[0].equals(ClassArchiveTraining.ARGUMENT)) {
      System.exit(ClassArchiveTraining.run());
    }
    System.exit(SlipwayCommand.newCommandLine(args).execute(args));
  }
}
