package io.slipway.build.engine;

import io.slipway.build.dockerfile.DockerfileParser;
import io.slipway.build.export.Output;
import io.slipway.build.solver.Executor;
import io.slipway.build.snapshot.Snapshotter;
import io.slipway.build.solver.OciLayoutImages;
import io.slipway.testing.images.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A build engine over a temporary state root whose base images are OCI layouts: {@code busybox},
 * made locally, and any the test names; confined to one test.
 */
final class BuildFixture implements AutoCloseable {

  static final Instant EPOCH = Instant.parse("2024-06-01T00:00:00Z");

  final Path dir;
  final Path context;
  final Path layout;
  final BuildEngine engine;

  BuildFixture(Path dir) throws IOException {
    this(dir, dir.resolve("state"));
  }

  BuildFixture(Path dir, Path state) throws IOException {
    this(dir, state, Executor.unavailable());
  }

  BuildFixture(Path dir, Path state, Executor executor) throws IOException {
    this(dir, state, executor, Map.of(), null);
  }

  /** A fixture whose engine also knows the OCI layouts of {@code images} by name. */
  BuildFixture(Path dir, Path state, Executor executor, Map<String, Path> images)
      throws IOException {
    this(dir, state, executor, images, null);
  }

  /** With {@code snapshots} null the snapshot mode is detected, as in production. */
  BuildFixture(Path dir, Path state, Executor executor, Snapshotter.Mode snapshots)
      throws IOException {
    this(dir, state, executor, Map.of(), snapshots);
  }

  private BuildFixture(Path dir, Path state, Executor executor, Map<String, Path> named,
      Snapshotter.Mode snapshots)
      throws IOException {
    this.dir = dir;
    this.context = dir.resolve("context");
    Files.createDirectories(context);
    this.layout = dir.resolve("busybox-layout");
    if (!Files.exists(layout)) {
      TestImages.busybox(layout);
    }
    java.util.function.Function<io.slipway.store.blob.FileBlobStore,
        io.slipway.build.solver.ImageSource> images =
        store -> new OciLayoutImages(store, named(layout, named), (reference, platform) -> {
          throw new IOException("no registry in this test: " + reference);
        });
    this.engine = snapshots == null
        ? BuildEngine.open(state, images, Optional.empty(), executor, 4, Clock.systemUTC())
        : BuildEngine.open(state, images, Optional.empty(), executor, 4, Clock.systemUTC(),
            snapshots);
  }

  private static Map<String, Path> named(Path busybox, Map<String, Path> images) {
    Map<String, Path> all = new java.util.HashMap<>(images);
    all.put("busybox", busybox);
    return all;
  }

  void file(String path, String content) throws IOException {
    Path file = context.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  BuildRequest request(String dockerfile, Output... outputs) {
    return BuildRequest.of(DockerfileParser.parse("Dockerfile", dockerfile), context)
        .withSourceDateEpoch(EPOCH)
        .withOutputs(List.of(outputs));
  }

  BuildResult build(String dockerfile, Output... outputs)
      throws IOException, InterruptedException {
    return engine.build(request(dockerfile, outputs), io.slipway.build.solver.SolveListener.NONE);
  }

  /** Builds and exports the root file system to a new directory, returned. */
  Path rootfs(String dockerfile) throws IOException, InterruptedException {
    Path out = Files.createTempDirectory(dir, "rootfs");
    build(dockerfile, new Output.LocalDirectory(out, Output.LayerSettings.DEFAULT));
    return out;
  }

  @Override
  public void close() throws IOException {
    engine.close();
  }
}
