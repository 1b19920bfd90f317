package io.slipway.build.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.cache.LayerRef;
import io.slipway.build.solver.ExecChanges;
import io.slipway.build.solver.Executor;
import io.slipway.oci.Digest;
import io.slipway.testing.RequiresTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RUN steps that change nothing share one empty layer, written once and not again while the store
 * holds it. The executor here is a stand-in that changes nothing, so no runc is needed.
 */
@RequiresTool(value = "busybox", debianPackage = "busybox-static")
class EmptyRunLayerTest {

  /** Changes nothing: an empty diff, as the copying mode reports a step like {@code RUN true}. */
  private static final Executor NO_CHANGES =
      step -> new ExecChanges.Diff(step.workDirectory(), new TreeSet<>());

  @TempDir Path dir;

  @Test
  void writesTheEmptyLayerOnceAndReusesItForLaterSteps() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir, dir.resolve("state"), NO_CHANGES)) {
      List<LayerRef> first = fixture.build("FROM busybox\nRUN one\nRUN two\n").image().layers();
      LayerRef empty = first.getLast();
      assertThat(first.get(first.size() - 2)).isEqualTo(empty);
      Object written = Files.getAttribute(blob(empty.blob().digest()), "unix:ino");
      FileTime old = FileTime.from(Instant.now().minusSeconds(7200));
      Files.setLastModifiedTime(blob(empty.blob().digest()), old);

      // New steps (other commands), so nothing comes from the cache; the layer is not rewritten,
      // which would have renamed a new file (a new inode) into place.
      List<LayerRef> second = fixture.build("FROM busybox\nRUN three\n").image().layers();
      assertThat(second.getLast()).isEqualTo(empty);
      assertThat(Files.getAttribute(blob(empty.blob().digest()), "unix:ino")).isEqualTo(written);
      // Reused, it counts as fresh for a collector's grace again, as a rewrite would have made it.
      assertThat(Files.getLastModifiedTime(blob(empty.blob().digest()))).isGreaterThan(old);
    }
  }

  @Test
  void reusesTheStoredEmptyLayerInANewEngineWithoutWritingIt() throws Exception {
    LayerRef empty;
    Object written;
    try (BuildFixture fixture = new BuildFixture(dir, dir.resolve("state"), NO_CHANGES)) {
      empty = fixture.build("FROM busybox\nRUN one\n").image().layers().getLast();
      written = Files.getAttribute(blob(empty.blob().digest()), "unix:ino");
    }
    FileTime old = FileTime.from(Instant.now().minusSeconds(7200));
    Files.setLastModifiedTime(blob(empty.blob().digest()), old);

    // A new engine (as a new CLI process has) has not met the empty layer, but the store has it.
    try (BuildFixture fixture = new BuildFixture(dir, dir.resolve("state"), NO_CHANGES)) {
      LayerRef again = fixture.build("FROM busybox\nRUN two\n").image().layers().getLast();

      assertThat(again).isEqualTo(empty);
      assertThat(Files.getAttribute(blob(empty.blob().digest()), "unix:ino")).isEqualTo(written);
      assertThat(Files.getLastModifiedTime(blob(empty.blob().digest()))).isGreaterThan(old);
    }
  }

  @Test
  void writesTheEmptyLayerAgainWhenTheStoreNoLongerHoldsIt() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir, dir.resolve("state"), NO_CHANGES)) {
      LayerRef empty = fixture.build("FROM busybox\nRUN one\n").image().layers().getLast();
      fixture.engine.solver().blobs().deleteIf(empty.blob().digest(), () -> true);

      LayerRef again = fixture.build("FROM busybox\nRUN two\n").image().layers().getLast();
      assertThat(again).isEqualTo(empty);
      assertThat(fixture.engine.solver().blobs().exists(empty.blob().digest())).isTrue();
      // The step's record names it, so the next build of the same step is a hit that can be used.
      assertThat(fixture.build("FROM busybox\nRUN two\n").solution().vertices().values())
          .filteredOn(v -> v.vertex().description().contains("RUN two"))
          .allMatch(v -> v.cached());
    }
  }

  private Path blob(Digest digest) {
    return dir.resolve("state/blobs/sha256").resolve(digest.encoded().substring(0, 2))
        .resolve(digest.encoded());
  }
}
