package io.slipway.cli;

import io.slipway.cli.buildserver.BuildServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The workload behind the hidden {@code --train-small-archive} argument, which trains the class
 * archive of every command without one of its own ({@code slipway --version}, {@code serve}, ...)
 * and of a {@code build} relayed to a build server: it prints the version, then relays a build to
 * a build server it starts on a socket in a temporary directory, so the relay's classes (Unix
 * sockets, the frames, the signal handlers) start archived as well. Writes nothing outside the
 * temporary directory, which it removes. Confined to the main thread.
 */
final class SmallArchiveTraining {
  /** The hidden argument that runs this training. */
  static final String ARGUMENT = "--train-small-archive";

  private SmallArchiveTraining() {}

  static int run() throws IOException {
    PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream());
    int version = SlipwayCommand.newCommandLine("--version").setOut(sink).execute("--version");
    Path dir = Files.createTempDirectory("slipway-training-");
    try {
      BuildServer server = BuildServer.start(BuilderCommand.socket(dir), session -> {
        session.stderr().write("training\n".getBytes(StandardCharsets.UTF_8));
        return 0;
      }, Duration.ZERO, Duration.ZERO, line -> {});
      try {
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true,
            StandardCharsets.UTF_8);
        RemoteBuild.run(new String[] {"build", "--root", dir.toString(), "."}, discard, discard);
      } finally {
        server.close();
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
    return version;
  }
}
