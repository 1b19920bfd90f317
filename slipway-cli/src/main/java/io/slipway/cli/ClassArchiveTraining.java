package io.slipway.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The workload the launcher ({@code ./slipway}) runs once per jar to make its class archive (an
 * AOT cache on JDK 25+, a dynamic CDS archive before): started as {@code java -jar slipway.jar
 * --train-class-archive}, a hidden argument {@link Main} handles before picocli sees it.
 *
 * <p>Why: an archive trained with {@code --version} alone holds picocli and little else, so every
 * build loaded, verified and interpreted Jackson, sqlite-jdbc, commons-compress, OpenTelemetry and
 * the engine cold. This runs, in one JVM, the commands whose start-up matters: a build of a small
 * image from a local OCI layout made on the spot (cold, then again with every step cached, the
 * no-change rebuild), a diff of two images and {@code --version}. It needs no network, no runc
 * and no root, works in a temporary directory it deletes, and fails (non-zero exit, so the
 * launcher keeps no archive) when any command does.
 *
 * <p>Where RUN steps can run (root, runc, a static {@code /bin/busybox} to run in the image), it
 * also builds two RUN steps, so that the first RUN of a real build does not load and interpret the
 * executor, the runtime spec writer and the overlay layer writer cold (150-500 ms a build, traced).
 * That build's outcome is ignored: a machine that cannot run RUN steps still gets an archive, only
 * without them. Not thread-safe; run once.
 */
final class ClassArchiveTraining {
  /** The hidden argument that selects this workload instead of the command line. */
  static final String ARGUMENT = "--train-class-archive";

  private ClassArchiveTraining() {}

  /** Runs the workload; returns 0 when every command succeeded, otherwise the first failure's. */
  static int run() throws IOException {
    return quietly(ClassArchiveTraining::train);
  }

  /** A training workload in a temporary directory; returns an exit code. */
  @FunctionalInterface
  interface Workload {
    int run(Path work) throws IOException;
  }

  /**
   * Runs {@code workload} in a temporary directory it deletes afterwards, with the commands'
   * output swallowed (printed to stderr only with {@code -Dslipway.training.verbose=true}).
   * Shared by the launcher's trainings.
   */
  static int quietly(Workload workload) throws IOException {
    Path work = Files.createTempDirectory("slipway-training");
    PrintStream out = System.out;
    PrintStream err = System.err;
    // The commands' output is of no use here; what matters is the classes they load.
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintStream quiet = new PrintStream(sink, true, StandardCharsets.UTF_8);
    System.setOut(quiet);
    System.setErr(quiet);
    try {
      return workload.run(work);
    } finally {
      System.setOut(out);
      System.setErr(err);
      LayoutArchive.delete(work);
      if (sink.size() > 0 && Boolean.getBoolean("slipway.training.verbose")) {
        err.print(sink.toString(StandardCharsets.UTF_8));
      }
    }
  }

  private static int train(Path work) throws IOException {
    Path root = work.resolve("root");
    Path context = Files.createDirectories(work.resolve("context"));
    Files.writeString(context.resolve("hello.txt"), "hello\n");
    Files.createDirectories(context.resolve("etc"));
    Files.writeString(context.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    Files.writeString(context.resolve("etc/group"), "root:x:0:\n");
    Files.writeString(work.resolve("Dockerfile.base"),
        "FROM scratch\nCOPY etc /etc\nCMD [\"/bin/sh\"]\n");
    Files.writeString(work.resolve("Dockerfile"),
        "FROM base\nWORKDIR /app\nCOPY hello.txt /app/\nENV GREETING=hello\n"
            + "LABEL purpose=training\n");

    // The base image, as an OCI layout made on the spot (the build's own tar output, unpacked).
    Path baseTar = work.resolve("base.tar");
    Path layout = work.resolve("base");
    int status = slipway("build", "--root", root.toString(), "--no-cache", "--progress=plain",
        "--output", "type=oci,dest=" + baseTar, "-f", work.resolve("Dockerfile.base").toString(),
        context.toString());
    if (status != 0) {
      return status;
    }
    LayoutArchive.extract(baseTar, layout);

    // A FROM of a local layout, as the benchmarks build: cold, then the no-change rebuild.
    List<String> build = List.of("build", "--root", root.toString(), "--progress=plain",
        "--build-context", "base=oci-layout://" + layout, "-t", "training:latest",
        "--trace-file", work.resolve("trace.json").toString(),
        "--output", "type=oci,dest=" + work.resolve("image.tar"),
        "-f", work.resolve("Dockerfile").toString(), context.toString());
    for (int round = 0; round < 2; round++) {
      status = slipway(build.toArray(String[]::new));
      if (status != 0) {
        return status;
      }
    }
    runSteps(work, layout);
    // diff exits 1 for "different", which these two images are.
    status = slipway("diff", "oci-layout:" + layout, work.resolve("image.tar").toString());
    if (status != DiffCommand.SAME && status != DiffCommand.DIFFERENT) {
      return status;
    }
    return slipway("--version");
  }

  /** The busybox whose RUN steps the training runs; a static build, so it needs no libraries. */
  static final Path BUSYBOX = Path.of("/bin/busybox");

  /**
   * Builds two RUN steps (one that writes a file, one that changes nothing) on {@code layout}
   * when busybox is there to run; whether it works (root, runc) is up to the build, and its status
   * is ignored.
   */
  private static void runSteps(Path work, Path layout) throws IOException {
    if (!Files.isRegularFile(BUSYBOX)) {
      return;
    }
    Path context = Files.createDirectories(work.resolve("run-context"));
    Files.copy(BUSYBOX, context.resolve("busybox"));
    Files.writeString(work.resolve("Dockerfile.run"),
        "FROM base\nCOPY busybox /bin/busybox\n"
            + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo trained > /trained\"]\n"
            + "RUN [\"/bin/busybox\", \"true\"]\n");
    slipway("build", "--root", work.resolve("root").toString(), "--progress=plain",
        "--build-context", "base=oci-layout://" + layout,
        "--output", "type=oci,dest=" + work.resolve("run-image.tar"),
        "-f", work.resolve("Dockerfile.run").toString(), context.toString());
  }

  /** Runs one {@code slipway} command line in this JVM; returns its exit code. */
  static int slipway(String... args) {
    return SlipwayCommand.newCommandLine(args).execute(args);
  }
}
