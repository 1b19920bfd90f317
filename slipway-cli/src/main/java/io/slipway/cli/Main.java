package io.slipway.cli;

import picocli.CommandLine;

/**
 * Entry point of the {@code slipway} command: runs it and exits with its exit code. The hidden
 * arguments {@code --train-class-archive}, {@code --train-client-archive} and {@code
 * --train-small-archive} run the launcher's class-archive trainings instead ({@link
 * ClassArchiveTraining}, {@link ClientArchiveTraining}, {@link SmallArchiveTraining}).
 * {@code slipway build} goes to the build server of its root when one runs ({@link RemoteBuild}).
 * Called once, on the main thread.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws java.io.IOException {
    if (args.length == 1 && args[0].equals(ClassArchiveTraining.ARGUMENT)) {
      System.exit(ClassArchiveTraining.run());
    }
    if (args.length == 1 && args[0].equals(ClientArchiveTraining.ARGUMENT)) {
      System.exit(ClientArchiveTraining.run());
    }
    if (args.length == 1 && args[0].equals(SmallArchiveTraining.ARGUMENT)) {
      System.exit(SmallArchiveTraining.run());
    }
    if (args.length > 0 && args[0].equals("build")) {
      java.util.OptionalInt served = RemoteBuild.run(args, System.out, System.err);
      if (served.isPresent()) {
        System.exit(served.getAsInt());
      }
    }
    System.exit(SlipwayCommand.newCommandLine(args).execute(args));
  }
}
