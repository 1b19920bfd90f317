package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.cache.BuildContentIndex;
import io.slipway.build.dockerfile.DockerfileParser;
import io.slipway.build.engine.BuildEngine;
import io.slipway.build.engine.BuildRequest;
import io.slipway.build.engine.BuildResult;
import io.slipway.build.solver.Executor;
import io.slipway.build.solver.OciLayoutImages;
import io.slipway.build.solver.SolveListener;
import io.slipway.oci.Digest;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.sql.SqliteDatabase;
import io.slipway.testing.RequiresTool;
import io.slipway.testing.images.TestImages;
import java.io.ByteArrayInputStream;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code slipway registry gc} on a root a builder shares: blobs only the builder's records name
 * (cache layers, built and base image manifests and configs) are not garbage to the registry.
 */
@RequiresTool(value = "busybox", debianPackage = "busybox-static")
class SharedRootGcTest {

  @TempDir Path dir;

  @Test
  void sparesBlobsOnlyTheBuilderNamesAndDeletesTrueGarbage() throws Exception {
    Path root = dir.resolve("root");
    Path layout = TestImages.busybox(dir.resolve("busybox")).layout();
    Path context = Files.createDirectories(dir.resolve("context"));
    Files.writeString(context.resolve("a.txt"), "a", StandardCharsets.UTF_8);
    BuildResult built;
    try (BuildEngine engine = BuildEngine.open(root,
        store -> new OciLayoutImages(store, Map.of("busybox", layout), (reference, platform) -> {
          throw new IOException("no registry in this test: " + reference);
        }),
        Optional.empty(), Executor.unavailable(), 2, Clock.systemUTC())) {
      built = engine.build(
          BuildRequest.of(DockerfileParser.parse("Dockerfile", "FROM busybox\nCOPY a.txt /a/\n"),
              context).withSourceDateEpoch(Instant.parse("2024-06-01T00:00:00Z")),
          SolveListener.NONE);
    }
    byte[] junk = "written by nobody's record".getBytes(StandardCharsets.UTF_8);
    Digest garbage = Digest.sha256(junk);
    Set<Digest> builderBlobs;
    try (FileBlobStore store = FileBlobStore.open(root)) {
      store.put(new ByteArrayInputStream(junk), garbage, junk.length);
    }
    try (SqliteDatabase database = SqliteDatabase.open(root.resolve("meta.db"), List.of())) {
      builderBlobs = new BuildContentIndex().referencedBlobs(database);
    }
    assertThat(builderBlobs).contains(built.image().manifest().digest(),
        built.image().config().digest(), built.image().layers().getLast().blob().digest());
    // No grace: only the builder's records stand between its blobs and deletion.
    Path config = Files.writeString(dir.resolve("registry.yaml"),
        "gc:\n  linkgrace: 0s\n  unlinkedgrace: 0s\n", StandardCharsets.UTF_8);

    StringWriter out = new StringWriter();
    CommandLine command = SlipwayCommand.newCommandLine();
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(new StringWriter()));
    int exit = command.execute("registry", "gc", "--root", root.toString(), "--config",
        config.toString());

    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString()).contains("deleted blob " + garbage);
    try (FileBlobStore store = FileBlobStore.open(root)) {
      assertThat(store.exists(garbage)).as("a blob nothing names is collected").isFalse();
      for (Digest digest : builderBlobs) {
        assertThat(store.exists(digest)).as("builder blob %s", digest).isTrue();
      }
    }
  }
}
