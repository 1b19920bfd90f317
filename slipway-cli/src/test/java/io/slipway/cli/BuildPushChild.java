package io.slipway.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The builder that {@link BuildKillTest} kills: runs {@code slipway build --push} of one small
 * Dockerfile again and again on one state root, each time with a new file in the context, and
 * prints {@code ACK <tag> <image id> <context>} once a build and its push have succeeded. Run as
 * a child JVM: {@code root layout registry life}.
 */
public final class BuildPushChild {
  /** What every build runs: a step that is cached after the first build, and steps that are not. */
  static final String DOCKERFILE = """
      FROM busybox
      COPY base.txt /app/
      RUN cp /app/base.txt /app/seen.txt
      COPY iter.txt /app/
      RUN cat /app/iter.txt > /app/copy.txt
      """;

  /** Repository the builds push to. */
  static final String REPOSITORY = "kill/app";

  private BuildPushChild() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    String layout = args[1];
    String registry = args[2];
    String life = args[3];
    for (int i = 0; ; i++) {
      String tag = "l" + life + "-" + i;
      Path context = root.resolveSibling("contexts").resolve(tag);
      writeContext(context, "life " + life + " build " + i + "\n");
      StringWriter err = new StringWriter();
      picocli.CommandLine command = SlipwayCommand.newCommandLine();
      command.setErr(new PrintWriter(err));
      command.setOut(new PrintWriter(new StringWriter()));
      Path iid = context.resolveSibling(tag + ".iid");
      int exit = command.execute(build(root, layout, registry + "/" + REPOSITORY + ":" + tag,
          iid, context));
      if (exit != 0) {
        System.out.println("FAILED " + tag + " exit " + exit + ": " + err);
        System.out.flush();
        System.exit(3);
      }
      System.out.println("ACK " + tag + " " + Files.readString(iid) + " " + context);
      System.out.flush();
    }
  }

  /** The context of one build: the shared file and this build's own. */
  static void writeContext(Path context, String iteration) throws java.io.IOException {
    Files.createDirectories(context);
    Files.writeString(context.resolve("base.txt"), "shared by every build\n",
        StandardCharsets.UTF_8);
    Files.writeString(context.resolve("iter.txt"), iteration, StandardCharsets.UTF_8);
    Files.writeString(context.resolve("Dockerfile"), DOCKERFILE, StandardCharsets.UTF_8);
  }

  /** The {@code slipway build} arguments; without {@code reference} nothing is pushed. */
  static String[] build(Path root, String layout, String reference, Path iid, Path context) {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
        "build", "--root", root.toString(), "--progress", "plain",
        "--build-context", "busybox=oci-layout://" + layout,
        "--build-arg", "SOURCE_DATE_EPOCH=1717200000",
        "--iidfile", iid.toString()));
    if (reference != null) {
      args.addAll(java.util.List.of("-t", reference, "--push"));
    }
    args.add(context.toString());
    return args.toArray(String[]::new);
  }
}
