package io.slipway.store.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.testing.ChildJvm;
import io.slipway.testing.IntegrationTest;
import io.slipway.testing.RequiresTool;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copying snapshotter runs without root on laptops. This test drops to {@code nobody} in a
 * child JVM and extracts there: read-only lower directories take new entries and keep their
 * modes, devices are skipped, owners are not changed, and a symlink escape is still refused.
 */
@IntegrationTest
@RequiresTool(value = "setpriv", debianPackage = "util-linux")
class UnprivilegedExtractionTest {

  private static final int NOBODY = 65534;

  @TempDir Path temp;
  // Apart from temp, whose listing the test checks; root writes it, the child inherits it open.
  @TempDir Path logs;

  @Test
  void doesExtractWithoutRootWhenLowerDirectoriesAreReadOnly() throws Exception {
    Assumptions.assumeTrue(NativeFiles.isRoot(), "dropping to nobody needs root");
    Files.setAttribute(temp, "unix:mode", 0755);
    Path classpath = copyClasspath(Files.createDirectories(temp.resolve("cp")));
    Path lower = layer(temp.resolve("lower.tar"), writer -> {
      writer.write(new LayerEntry.Directory("proc", EntryAttributes.ofMode(0555)));
      writer.write(new LayerEntry.Directory("proc/sub", EntryAttributes.ofMode(0555)));
      writer.write(new LayerEntry.File("proc/sub/f", EntryAttributes.ofMode(0444), 0));
      writer.write(new LayerEntry.File("etc-shadow", new EntryAttributes(0640, 0, 42, "", "", Instant.EPOCH, Xattrs.none()), 0));
      writer.write(new LayerEntry.Device("null", EntryAttributes.ofMode(0666), LayerEntry.DeviceKind.CHARACTER, 1, 3));
    });
    Path upper = layer(temp.resolve("upper.tar"), writer -> {
      writer.write(new LayerEntry.Whiteout("proc/sub"));
      writer.write(new LayerEntry.File("proc/added", EntryAttributes.ofMode(0644), 0));
    });
    Path hostile = layer(temp.resolve("hostile.tar"), writer -> {
      writer.write(new LayerEntry.Symlink("out", EntryAttributes.ofMode(0777), "../.."));
      writer.write(new LayerEntry.File("out/pwned", EntryAttributes.ofMode(0644), 0));
    });
    Path root = Files.createDirectories(temp.resolve("root"));
    Files.setAttribute(root, "unix:uid", NOBODY);
    for (Path p : List.of(lower, upper, hostile)) {
      Files.setAttribute(p, "unix:mode", 0644);
    }

    String output;
    try (ChildJvm child = ChildJvm.of(UnprivilegedExtraction.class)
        .under("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--")
        .classPath(classpath.toString())
        .directory(temp)
        .args(lower.toString(), upper.toString(), hostile.toString(), root.toString())
        .start(logs.resolve("extraction.log"))) {
      output = child.awaitSuccess(Duration.ofMinutes(5));
    }

    assertThat(output.lines().toList())
        .containsExactly(
            "skippedDevices=1",
            "skippedDevices=0",
            "error=\"out/pwned\": a symlink on the way leads outside the extraction root");
    assertThat(TestTrees.describe(root, false))
        .extracting(line -> line.replaceAll(" sha=.*", ""))
        .containsExactly(
            "etc-shadow 100640 65534:65534 size=0 nlink=1",
            "out 120777 65534:65534 -> ../..",
            "proc 40555 65534:65534",
            "proc/added 100644 65534:65534 size=0 nlink=1");
    try (Stream<Path> top = Files.list(temp)) {
      assertThat(top.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("cp", "hostile.tar", "lower.tar", "root", "upper.tar");
    }
  }

  private interface Body {
    void write(LayerTarWriter writer) throws IOException;
  }

  private static Path layer(Path file, Body body) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        LayerTarWriter writer = new LayerTarWriter(out, Instant.EPOCH)) {
      body.write(writer);
    }
    return file;
  }

  /** Copies the test classpath where {@code nobody} can read it (the Maven cache is root's). */
  private static Path copyClasspath(Path into) throws IOException, InterruptedException {
    String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (String element : path.split(File.pathSeparator)) {
      Path source = Path.of(element);
      if (!Files.exists(source)) {
        continue;
      }
      Path target = into.resolve(n++ + "-" + source.getFileName());
      if (Files.isDirectory(source)) {
        TestTrees.run(into, "cp", "-r", source.toString(), target.toString());
      } else {
        Files.copy(source, target);
      }
      entries.add(target.toString());
    }
    TestTrees.run(into, "chmod", "-R", "a+rX", into.toString());
    return Path.of(String.join(File.pathSeparator, entries));
  }
}
