package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.dockerfile.DockerfileParser;
import io.slipway.build.engine.BuildEngine;
import io.slipway.build.engine.BuildRequest;
import io.slipway.build.engine.BuildResult;
import io.slipway.build.solver.Executor;
import io.slipway.build.solver.OciLayoutImages;
import io.slipway.build.solver.SolveListener;
import io.slipway.build.solver.SolvedVertex;
import io.slipway.oci.Digest;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.testing.RequiresTool;
import io.slipway.testing.images.TestImages;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code slipway fsck} on a builder root: the build cache's records resolve, orphans go. */
@RequiresTool(value = "busybox", debianPackage = "busybox-static")
class BuilderFsckCommandTest {
  private static final String DOCKERFILE = """
      FROM busybox
      COPY a.txt /a/
      COPY b.txt /b/
      """;

  @TempDir Path dir;

  private Path root;
  private Path layout;
  private Path context;
  private StringWriter out;

  @BeforeEach
  void setUp() throws IOException {
    root = dir.resolve("builder");
    layout = TestImages.busybox(dir.resolve("busybox")).layout();
    context = Files.createDirectories(dir.resolve("context"));
    Files.writeString(context.resolve("a.txt"), "a", StandardCharsets.UTF_8);
    Files.writeString(context.resolve("b.txt"), "b", StandardCharsets.UTF_8);
  }

  private BuildResult build() throws Exception {
    return build(DOCKERFILE, Map.of("busybox", layout));
  }

  private BuildResult build(String dockerfile, Map<String, Path> layouts) throws Exception {
    try (BuildEngine engine = BuildEngine.open(root,
        store -> new OciLayoutImages(store, layouts, (reference, platform) -> {
          throw new IOException("no registry in this test: " + reference);
        }),
        Optional.empty(), Executor.unavailable(), 2, Clock.systemUTC())) {
      return engine.build(
          BuildRequest.of(DockerfileParser.parse("Dockerfile", dockerfile), context)
              .withSourceDateEpoch(Instant.parse("2024-06-01T00:00:00Z")),
          SolveListener.NONE);
    }
  }

  private Set<Path> blobFiles() throws IOException {
    try (Stream<Path> files = Files.walk(root.resolve("blobs"))) {
      return files.filter(Files::isRegularFile).collect(Collectors.toSet());
    }
  }

  private int fsck(String... extra) {
    out = new StringWriter();
    CommandLine command = SlipwayCommand.newCommandLine();
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(new StringWriter()));
    // No orphan grace: a blob left over a moment ago must count as an orphan here.
    String[] args = new String[extra.length + 5];
    args[0] = "fsck";
    args[1] = "--root";
    args[2] = root.toString();
    args[3] = "--orphan-grace";
    args[4] = "0s";
    System.arraycopy(extra, 0, args, 5, extra.length);
    return command.execute(args);
  }

  private static Digest copyLayer(BuildResult result, String file) {
    return result.solution().vertices().values().stream()
        .filter(v -> v.vertex().description().contains("COPY " + file))
        .map(SolvedVertex::record)
        .findFirst()
        .orElseThrow()
        .chain().getLast().blob().digest();
  }

  @Test
  void doesFindHealthyRootCleanAfterSingleAndMultiStageBuilds() throws Exception {
    BuildResult single = build();
    // A second base, an index of two platforms: the build resolves one, the layout import brings
    // both, and every blob of it must be accounted for.
    Path index = TestImages.busyboxIndex(dir.resolve("busybox-index")).layout();
    BuildResult multi = build("""
        FROM busybox AS first
        COPY a.txt /a/
        FROM multi
        COPY --from=first /a/a.txt /c.txt
        COPY b.txt /b/
        """, Map.of("busybox", layout, "multi", index));
    Set<Path> before = blobFiles();

    assertThat(fsck()).as(out.toString()).isZero();
    assertThat(out.toString()).contains("; clean").doesNotContain("orphan");

    assertThat(fsck("--repair")).as(out.toString()).isZero();
    assertThat(blobFiles()).as("--repair on a healthy root deletes nothing").isEqualTo(before);
    try (FileBlobStore store = FileBlobStore.open(root)) {
      for (BuildResult result : List.of(single, multi)) {
        assertThat(store.exists(result.image().manifest().digest())).isTrue();
        assertThat(store.exists(result.image().config().digest())).isTrue();
      }
    }
  }

  @Test
  void doesKeepEveryCachedLayerWhenRepairingBuilderRoot() throws Exception {
    BuildResult first = build();

    int exit = fsck("--repair");
    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString()).doesNotContain("orphans not checked");
    assertThat(out.toString()).doesNotContain(copyLayer(first, "a.txt").toString());
    assertThat(fsck()).as(out.toString()).isZero();
    assertThat(out.toString()).contains("; clean");

    BuildResult second = build();
    assertThat(second.solution().vertices().values().stream()
            .filter(v -> v.vertex().description().contains("COPY"))
            .allMatch(SolvedVertex::cached))
        .as("every COPY step still hits the cache after the repair")
        .isTrue();
    assertThat(second.image().manifest()).isEqualTo(first.image().manifest());
  }

  @Test
  void doesDropCacheRecordWhoseLayerIsMissingWhenRepairing() throws Exception {
    BuildResult first = build();
    Digest missing = copyLayer(first, "b.txt");
    try (FileBlobStore store = FileBlobStore.open(root)) {
      Files.delete(store.blobPath(missing));
    }

    assertThat(fsck()).as(out.toString()).isEqualTo(2);
    assertThat(out.toString())
        .contains("build cache record sha256:")
        .contains(": layer " + missing + " is not in the store");

    assertThat(fsck("--repair")).as(out.toString()).isEqualTo(1);
    assertThat(out.toString()).contains("is not in the store; removed");
    assertThat(fsck()).as(out.toString()).isZero();

    BuildResult second = build();
    assertThat(second.image().manifest()).isEqualTo(first.image().manifest());
  }

  @Test
  void doesReportCorruptBuilderDatabase() throws Exception {
    build();
    Files.writeString(root.resolve("meta.db"), "not a database ".repeat(300));

    assertThat(fsck()).isEqualTo(2);
    assertThat(out.toString()).contains("is corrupt").contains("run a build on this root");
  }
}
