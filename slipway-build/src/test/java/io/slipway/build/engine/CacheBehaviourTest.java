package io.slipway.build.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.build.graph.BuildOptions;
import io.slipway.build.solver.Executor;
import io.slipway.build.solver.SolvedVertex;
import io.slipway.testing.RequiresTool;
import io.slipway.testing.images.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresTool(value = "busybox", debianPackage = "busybox-static")
class CacheBehaviourTest {

  private static final String TWO_COPIES = """
      FROM busybox
      COPY a.txt /a/
      COPY b.txt /b/
      """;

  @TempDir Path dir;

  /** Whether each COPY step of {@code result} came from the cache, in Dockerfile order. */
  private static List<Boolean> copiesCached(BuildResult result) {
    return result.solution().vertices().values().stream()
        .filter(v -> v.vertex().description().contains("COPY"))
        .sorted((x, y) -> x.vertex().description().compareTo(y.vertex().description()))
        .map(SolvedVertex::cached)
        .toList();
  }

  @Test
  void doesNotRecomputeAnythingWhenNothingChanged() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      fixture.file("b.txt", "b");
      BuildResult first = fixture.build(TWO_COPIES);
      long executions = fixture.engine.solver().executions();
      BuildResult second = fixture.build(TWO_COPIES);
      assertThat(fixture.engine.solver().executions()).isEqualTo(executions);
      assertThat(copiesCached(second)).containsExactly(true, true);
      assertThat(second.image().manifest()).isEqualTo(first.image().manifest());
    }
  }

  @Test
  void recomputesOnlySelectingCopyAndLaterStepsWhenContextFileChanges() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      fixture.file("b.txt", "b");
      fixture.file("unrelated.txt", "x");
      fixture.build(TWO_COPIES);
      fixture.file("unrelated.txt", "y");
      assertThat(copiesCached(fixture.build(TWO_COPIES))).containsExactly(true, true);
      fixture.file("b.txt", "b2");
      assertThat(copiesCached(fixture.build(TWO_COPIES))).containsExactly(true, false);
      fixture.file("a.txt", "a2");
      assertThat(copiesCached(fixture.build(TWO_COPIES))).containsExactly(false, false);
    }
  }

  @Test
  void recomputesStepsUsingBuildArgWhenItChanges() throws Exception {
    String dockerfile = """
        FROM busybox
        COPY a.txt /a/
        ARG DEST=one
        COPY b.txt /$DEST/
        """;
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      fixture.file("b.txt", "b");
      fixture.engine.build(fixture.request(dockerfile),
          io.slipway.build.solver.SolveListener.NONE);
      BuildResult changed = fixture.engine.build(fixture.request(dockerfile)
          .withOptions(BuildOptions.defaults().withBuildArgs(Map.of("DEST", "two"))),
          io.slipway.build.solver.SolveListener.NONE);
      assertThat(copiesCached(changed)).containsExactly(true, false);
    }
  }

  @Test
  void recomputesEveryStepWhenNoCacheIsSet() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      fixture.file("b.txt", "b");
      BuildResult first = fixture.build(TWO_COPIES);
      BuildResult again = fixture.engine.build(fixture.request(TWO_COPIES).withNoCache(true),
          io.slipway.build.solver.SolveListener.NONE);
      assertThat(copiesCached(again)).containsExactly(false, false);
      // Recomputed layers are byte-identical, so the image is the same.
      assertThat(again.image().manifest()).isEqualTo(first.image().manifest());
    }
  }

  @Test
  void bypassesCacheOnlyForFilteredStageWhenNoCacheFilterIsSet() throws Exception {
    String dockerfile = """
        FROM busybox AS deps
        COPY a.txt /a/
        FROM deps AS app
        COPY b.txt /b/
        """;
    try (BuildFixture fixture = new BuildFixture(dir)) {
      fixture.file("a.txt", "a");
      fixture.file("b.txt", "b");
      fixture.build(dockerfile);
      BuildResult filtered = fixture.engine.build(
          fixture.request(dockerfile).withNoCacheStages(Set.of("app")),
          io.slipway.build.solver.SolveListener.NONE);
      assertThat(copiesCached(filtered)).containsExactly(false, true);
    }
  }

  @Test
  void recomputesEveryStepWhenBaseImageChangesAndNoneWhenItStaysTheSame() throws Exception {
    String dockerfile = """
        FROM base
        COPY a.txt /a/
        COPY b.txt /b/
        """;
    Path base = dir.resolve("base-layout");
    TestImages.busybox(base);
    try (BuildFixture fixture = new BuildFixture(dir, dir.resolve("state"),
        Executor.unavailable(), Map.of("base", base))) {
      fixture.file("a.txt", "a");
      fixture.file("b.txt", "b");
      BuildResult first = fixture.build(dockerfile);
      assertThat(copiesCached(fixture.build(dockerfile))).containsExactly(true, true);

      // The tag now names another image: same layer, another config, so another digest.
      withEnv(base, "BASE_VERSION=2");
      BuildResult rebased = fixture.build(dockerfile);
      assertThat(copiesCached(rebased)).containsExactly(false, false);
      assertThat(rebased.image().manifest()).isNotEqualTo(first.image().manifest());
      assertThat(copiesCached(fixture.build(dockerfile))).containsExactly(true, true);
    }
  }

  /**
   * Points the layout's tag at a copy of its image whose config also sets {@code env}, writing
   * the new config and manifest blobs and then {@code index.json}.
   */
  private static void withEnv(Path layout, String env) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode index = (ObjectNode) json.readTree(layout.resolve("index.json").toFile());
    ObjectNode entry = (ObjectNode) index.withArray("manifests").get(0);
    ObjectNode manifest = (ObjectNode) json.readTree(blob(layout, entry.get("digest").asText()));
    ObjectNode configDescriptor = (ObjectNode) manifest.get("config");
    ObjectNode config = (ObjectNode) json.readTree(
        blob(layout, configDescriptor.get("digest").asText()));
    ObjectNode settings = config.withObjectProperty("config");
    ArrayNode envs = settings.has("Env") ? (ArrayNode) settings.get("Env") : settings.putArray("Env");
    envs.add(env);
    byte[] configBytes = json.writeValueAsBytes(config);
    configDescriptor.put("digest", writeBlob(layout, configBytes));
    configDescriptor.put("size", configBytes.length);
    byte[] manifestBytes = json.writeValueAsBytes(manifest);
    entry.put("digest", writeBlob(layout, manifestBytes));
    entry.put("size", manifestBytes.length);
    Files.write(layout.resolve("index.json"), json.writeValueAsBytes(index));
  }

  private static byte[] blob(Path layout, String digest) throws IOException {
    return Files.readAllBytes(layout.resolve("blobs/sha256").resolve(digest.substring(7)));
  }

  private static String writeBlob(Path layout, byte[] bytes) throws IOException {
    try {
      String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      Files.write(layout.resolve("blobs/sha256").resolve(hex), bytes);
      return "sha256:" + hex;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
