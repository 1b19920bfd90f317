package io.slipway.build.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.cache.LayerRef;
import io.slipway.build.run.BuildSession;
import io.slipway.build.solver.Executor;
import io.slipway.build.solver.SolveListener;
import io.slipway.store.layer.LayerEntry;
import io.slipway.store.layer.LayerReader;
import io.slipway.testing.IntegrationTest;
import io.slipway.testing.RequiresTool;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A realistic RUN: {@code apt-get install} of a small package on a debootstrap-made Debian base
 * ({@link DebianBase}, from the host's mirror), with {@code /var/cache/apt} on a cache mount.
 * The package works in a following RUN; the downloaded {@code .deb} stays in the cache mount and
 * a {@code --no-cache} rebuild installs it from there without downloading it again; and nothing
 * of {@code /var/cache/apt} is in the image's layers.
 */
@IntegrationTest
@RequiresTool(value = {"debootstrap", "runc", "dpkg"}, debianPackage = "debootstrap runc dpkg")
class AptCacheMountTest {

  /** Small, in Debian main for every suite, depending on libc6 only. */
  private static final String PACKAGE = "hello";

  @TempDir Path dir;

  @Test
  @Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES)
  void installsFromCacheMountAndLeavesItOutOfTheImage() throws Exception {
    Path cache = Path.of(System.getProperty("basedir", ".")).resolve("target/debian-base");
    List<String> output = new CopyOnWriteArrayList<>();
    Executor runc = RuncSteps.open(dir.resolve("run"), BuildSession.empty(),
        (stream, line) -> output.add(line));
    Path layout = DebianBase.layout(cache);
    String dockerfile = """
        FROM debian
        RUN --mount=type=cache,target=/var/cache/apt \\
            apt-get update && apt-get install -y --no-install-recommends %s
        RUN %s | grep -x 'Hello, world!' > /greeting
        """.formatted(PACKAGE, PACKAGE);
    try (BuildFixture fixture =
        new BuildFixture(dir, dir.resolve("state"), runc, Map.of("debian", layout))) {
      long started = System.nanoTime();
      BuildResult first = fixture.engine.build(fixture.request(dockerfile), SolveListener.NONE);
      long firstSeconds = (System.nanoTime() - started) / 1_000_000_000L;
      assertThat(output).as("apt output of the first build")
          .anyMatch(line -> line.startsWith("Get:") && line.contains(" " + PACKAGE + " "));
      assertThat(cachedPackages()).as(".deb files in the cache mount").isNotEmpty();
      assertLayersHoldPackageButNoAptCache(fixture, first);

      output.clear();
      started = System.nanoTime();
      BuildResult second = fixture.engine.build(fixture.request(dockerfile).withNoCache(true),
          SolveListener.NONE);
      long secondSeconds = (System.nanoTime() - started) / 1_000_000_000L;
      assertThat(second.solution().cacheHits()).isZero();
      // apt says what it must fetch; with the .deb in the cache mount that is nothing.
      assertThat(output).as("apt output of the --no-cache build")
          .noneMatch(line -> line.startsWith("Get:") && line.contains(" " + PACKAGE + " "))
          .anyMatch(line -> line.startsWith("Need to get 0 B"));
      assertLayersHoldPackageButNoAptCache(fixture, second);
      System.out.printf("apt builds: first %d s, --no-cache rebuild %d s%n", firstSeconds,
          secondSeconds);
    }
  }

  /** The {@code .deb} files of {@link #PACKAGE} in the executor's cache mount directories. */
  private List<Path> cachedPackages() throws Exception {
    try (Stream<Path> walk = Files.walk(dir.resolve("run").resolve("cache"))) {
      return walk.filter(p -> p.getFileName().toString().startsWith(PACKAGE + "_")
          && p.getFileName().toString().endsWith(".deb")).toList();
    }
  }

  /** The build's own layers (after the base): the package's files, nothing under the cache. */
  private static void assertLayersHoldPackageButNoAptCache(BuildFixture fixture,
      BuildResult result) throws Exception {
    List<LayerRef> layers = result.image().layers();
    assertThat(layers).hasSize(3);
    List<String> paths = new ArrayList<>();
    for (LayerRef layer : layers.subList(1, layers.size())) {
      try (InputStream in = fixture.engine.store().openVerified(layer.blob().digest());
          LayerReader reader = LayerReader.open(in)) {
        Optional<LayerEntry> next;
        while ((next = reader.next()).isPresent()) {
          paths.add(next.get().path());
        }
      }
    }
    assertThat(paths).contains("usr/bin/" + PACKAGE, "greeting");
    assertThat(paths).noneMatch(p -> p.startsWith("var/cache/apt/"));
  }
}
