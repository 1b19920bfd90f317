package io.slipway.build.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.build.solver.ExecChanges;
import io.slipway.build.solver.Executor;
import io.slipway.oci.Digest;
import io.slipway.store.blob.BlobStore;
import io.slipway.testing.RequiresTool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step's cache record is committed in the background; a commit that fails must still fail the
 * build, and the build's result must include every record. The executor is a stand-in, so no
 * runc is needed.
 */
@RequiresTool(value = "busybox", debianPackage = "busybox-static")
class BackgroundRecordsTest {

  @TempDir Path dir;

  @Test
  void failsTheBuildWhenAStepsRecordCannotBeCommitted() throws Exception {
    AtomicReference<BlobStore> store = new AtomicReference<>();
    // While the step runs, the base image's blobs vanish (as a collector sharing the root might
    // delete them), so the step's record, which names the base layers, cannot be committed.
    Executor deletingBase = step -> {
      List<Digest> stored = store.get().list().toList();
      for (Digest digest : stored) {
        store.get().deleteIf(digest, () -> true);
      }
      return new ExecChanges.Diff(step.workDirectory(), new TreeSet<>());
    };
    try (BuildFixture fixture = new BuildFixture(dir, dir.resolve("state"), deletingBase)) {
      store.set(fixture.engine.solver().blobs());

      assertThatThrownBy(() -> fixture.build("FROM busybox\nRUN gone\n"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("is not in the store");
      assertThat(fixture.engine.solver().cache().entries())
          .extracting(entry -> entry.record().kind())
          .doesNotContain("exec");
    }
  }

  @Test
  void recordsEveryComputedStepByTheTimeTheBuildReturns() throws Exception {
    Executor noChanges = step -> new ExecChanges.Diff(step.workDirectory(), new TreeSet<>());
    try (BuildFixture fixture = new BuildFixture(dir, dir.resolve("state"), noChanges)) {
      fixture.file("a.txt", "a");
      fixture.build("FROM busybox\nCOPY a.txt /a\nRUN one\nRUN two\nRUN three\n");

      assertThat(fixture.engine.solver().cache().entries())
          .extracting(entry -> entry.record().kind())
          .containsExactlyInAnyOrder("image", "file", "exec", "exec", "exec");
    }
  }
}
