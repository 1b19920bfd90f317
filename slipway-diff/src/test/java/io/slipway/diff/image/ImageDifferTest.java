package io.slipway.diff.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.diff.tree.TreeChange;
import io.slipway.oci.ImageConfig;
import io.slipway.oci.Platform;
import io.slipway.store.layer.EntryAttributes;
import io.slipway.store.layer.LayerEntry;
import io.slipway.store.layer.LayerTarWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDifferTest {
  private static final ImageConfig.RunConfig RUN =
      ImageConfig.RunConfig.EMPTY.withEnv(List.of("PATH=/bin", "MODE=a")).withCmd(List.of("/bin/sh"));

  @TempDir Path temp;

  private ImageLayouts.Layer base() {
    return ImageLayouts.layer()
        .dir("etc").file("etc/a", "one\n").file("etc/b", "bee\n")
        .dir("data").file("data/x", "x\n").file("data/y", "y\n")
        .dir("bin").file("bin/tool", "#!/bin/sh\n", 0755)
        .symlink("link", "etc/a");
  }

  private LoadedImage load(String spec) throws Exception {
    return new ImageLoader(null, Platform.of("linux", "amd64"), temp).load(ImageInput.parse(spec));
  }

  private List<String> fileChanges(String a, String b, int limit) throws Exception {
    List<String> lines = new ArrayList<>();
    try (LoadedImage ia = load(a); LoadedImage ib = load(b)) {
      new ImageDiffer(limit, temp).compareFiles(ia, ib, change -> lines.add(describe(change)));
    }
    return lines;
  }

  private static String describe(ImageFileChange change) {
    return switch (change.kind()) {
      case ADDED -> "A " + change.path();
      case REMOVED -> "D " + change.path();
      case MODIFIED -> "M " + change.path() + " " + change.aspects().stream().sorted().toList();
    };
  }

  @Test
  void doesReportAddedRemovedChangedChmodAndRetargetWhenAnUpperLayerEditsTheBase() throws Exception {
    ImageLayouts.write(temp.resolve("a"), "1", RUN, List.of(base()));
    ImageLayouts.write(temp.resolve("b"), "2", RUN, List.of(base(),
        ImageLayouts.layer()
            .file("etc/a", "one, changed\n")
            .file("bin/tool", "#!/bin/sh\n", 0700)
            .symlink("link", "etc/b")
            .whiteout("etc/b")
            .file("new.txt", "new\n")));

    assertThat(fileChanges("oci-layout:" + temp.resolve("a"), "oci-layout:" + temp.resolve("b") + ":2", 1000))
        .containsExactly(
            "M bin/tool [MODE]",
            "M etc/a [SIZE, CONTENT]",
            "D etc/b",
            "M link [LINK_TARGET]",
            "A new.txt");
  }

  @Test
  void doesRemoveEverythingBelowWhenADirectoryIsWhitedOut() throws Exception {
    ImageLayouts.write(temp.resolve("a"), "1", RUN, List.of(base()));
    ImageLayouts.write(temp.resolve("b"), "1", RUN, List.of(base(), ImageLayouts.layer().whiteout("data")));

    assertThat(fileChanges(temp.resolve("a").toString(), temp.resolve("b").toString(), 1000))
        .containsExactly("D data", "D data/x", "D data/y");
  }

  @Test
  void doesHideLowerChildrenButKeepItsOwnWhenADirectoryIsOpaque() throws Exception {
    ImageLayouts.write(temp.resolve("a"), "1", RUN, List.of(base()));
    ImageLayouts.write(temp.resolve("b"), "1", RUN, List.of(base(),
        ImageLayouts.layer().dir("data").opaque("data").file("data/z", "z\n").file("data/y", "y\n")));

    assertThat(fileChanges(temp.resolve("a").toString(), temp.resolve("b").toString(), 1000))
        .containsExactly("D data/x", "A data/z");
  }

  @Test
  void doesDropLowerChildrenWhenAFileReplacesTheirDirectory() throws Exception {
    ImageLayouts.write(temp.resolve("a"), "1", RUN, List.of(base()));
    ImageLayouts.write(temp.resolve("b"), "1", RUN, List.of(base(),
        ImageLayouts.layer().whiteout("data").file("data", "now a file\n")));

    assertThat(fileChanges(temp.resolve("a").toString(), temp.resolve("b").toString(), 1000))
        .containsExactly("M data [TYPE, MODE, SIZE, CONTENT]", "D data/x", "D data/y");
  }

  @Test
  void doesReportConfigAndLayerChangesWhenRunSettingsAndLayersDiffer() throws Exception {
    ImageLayouts.write(temp.resolve("a"), "1", RUN, List.of(base(), ImageLayouts.layer().file("extra", "e")));
    ImageConfig.RunConfig changed = RUN.withEnv(List.of("PATH=/bin", "MODE=b", "NEW=1"))
        .withEntrypoint(List.of("/bin/tool"))
        .withUser("1000")
        .withWorkingDir("/data")
        .withLabels(Map.of("version", "2"))
        .withExposedPorts(Set.of("8080/tcp"));
    ImageLayouts.write(temp.resolve("b"), "1", changed, List.of(base()));

    try (LoadedImage a = load(temp.resolve("a").toString()); LoadedImage b = load(temp.resolve("b").toString())) {
      List<ConfigChange> changes = new ImageDiffer(1000, temp).compareConfig(a, b);
      assertThat(changes).extracting(ConfigChange::field).contains(
          "user", "workdir", "entrypoint", "env.MODE", "env.NEW", "labels.version", "ports.8080/tcp",
          "manifest", "config", "layers.count");
      assertThat(changes).contains(new ConfigChange("env.MODE", "a", "b"),
          new ConfigChange("layers.count", "2", "1"),
          new ConfigChange("layers." + a.layers().get(1).descriptor().digest(), "present", null));
      assertThat(changes).noneMatch(c -> c.field().equals("layers." + a.layers().get(0).descriptor().digest()));
    }
  }

  @Test
  void doesFindNoDifferenceWhenBothImagesAreTheSame() throws Exception {
    ImageLayouts.write(temp.resolve("a"), "1", RUN, List.of(base()));
    try (LoadedImage a = load(temp.resolve("a").toString()); LoadedImage b = load(temp.resolve("a").toString())) {
      ImageDiffer differ = new ImageDiffer(1000, temp);
      assertThat(differ.compareConfig(a, b)).isEmpty();
      assertThat(differ.compareFiles(a, b, change -> {})).isFalse();
    }
  }

  @Test
  void doesSpillSortedRunsAndGiveTheSameAnswerWhenTheIndexLimitIsTiny() throws Exception {
    ImageLayouts.Layer many = ImageLayouts.layer().dir("many");
    for (int i = 0; i < 300; i++) {
      many.file("many/f" + i, "content " + i + "\n");
    }
    ImageLayouts.Layer edits = ImageLayouts.layer().opaque("data").file("data/q", "q");
    for (int i = 0; i < 300; i += 7) {
      edits.file("many/f" + i, "edited " + i + "\n");
    }
    edits.whiteout("many/f1");
    ImageLayouts.write(temp.resolve("a"), "1", RUN, List.of(base(), many));
    ImageLayouts.write(temp.resolve("b"), "1", RUN, List.of(base(), many, edits));

    List<String> inMemory = fileChanges(temp.resolve("a").toString(), temp.resolve("b").toString(), 1_000_000);
    List<String> spilled = new ArrayList<>();
    int[] runs;
    try (LoadedImage a = load(temp.resolve("a").toString()); LoadedImage b = load(temp.resolve("b").toString())) {
      runs = new ImageDiffer(4, temp).compareFilesCountingSpills(a, b, c -> spilled.add(describe(c)));
    }

    assertThat(runs[0]).as("runs spilled for A").isGreaterThan(50);
    assertThat(runs[1]).as("runs spilled for B").isGreaterThan(50);
    assertThat(spilled).isEqualTo(inMemory).contains("D data/x", "A data/q", "D many/f1", "M many/f7 [SIZE, CONTENT]");
    try (Stream<Path> left = Files.list(temp)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".runs"));
    }
  }

  @Test
  void doesReadOciAndDockerSaveTarballsWhenGivenAsFiles() throws Exception {
    ImageLayouts.write(temp.resolve("a"), "1", RUN, List.of(base()));
    ImageLayouts.write(temp.resolve("b"), "1", RUN, List.of(base(), ImageLayouts.layer().file("etc/a", "two\n")));
    Path ociTar = temp.resolve("b.tar");
    packDirectory(temp.resolve("b"), ociTar);
    Path dockerTar = temp.resolve("b-docker.tar");
    dockerSave(temp.resolve("b"), dockerTar);

    assertThat(fileChanges(temp.resolve("a").toString(), ociTar.toString(), 1000))
        .containsExactly("M etc/a [CONTENT]");
    assertThat(fileChanges(temp.resolve("a").toString(), dockerTar.toString(), 1000))
        .containsExactly("M etc/a [CONTENT]");
    try (LoadedImage docker = load(dockerTar.toString())) {
      assertThat(docker.manifest()).isNull();
      assertThat(docker.layers()).hasSize(2);
    }
  }

  @Test
  void doesNameTheImageAndBlobWhenALayoutLacksALayer() throws Exception {
    ImageLayouts.write(temp.resolve("a"), "1", RUN, List.of(base()));
    String layer;
    try (LoadedImage a = load(temp.resolve("a").toString())) {
      layer = a.layers().getFirst().descriptor().digest().toString();
    }
    Files.delete(temp.resolve("a/blobs/sha256").resolve(layer.substring("sha256:".length())));

    assertThatThrownBy(() -> load("oci-layout:" + temp.resolve("a")))
        .isInstanceOf(ImageInputException.class)
        .hasMessageContaining("oci-layout:" + temp.resolve("a"))
        .hasMessageContaining("lacks layer blob " + layer);
  }

  @Test
  void doesExtractChangedFilesFromTheLayerThatSuppliedThem() throws Exception {
    ImageLayouts.write(temp.resolve("b"), "1", RUN, List.of(base(), ImageLayouts.layer().file("etc/a", "two\n")));
    try (LoadedImage b = load(temp.resolve("b").toString())) {
      ImageFile file = new ImageFile("etc/a", ImageFile.Type.FILE, 0644, 0, 0, 4, "", "", 1);
      Map<String, Path> copies = new ImageDiffer(10, temp).extract(b, List.of(file), 1 << 20);
      assertThat(copies.get("etc/a")).hasContent("two");
      Files.delete(copies.get("etc/a"));
    }
  }

  /** Packs a directory's regular files into an uncompressed tar, as an OCI layout tarball is. */
  static void packDirectory(Path dir, Path tar) throws IOException {
    try (OutputStream out = Files.newOutputStream(tar); Stream<Path> walk = Files.walk(dir)) {
      LayerTarWriter writer = new LayerTarWriter(out, Instant.EPOCH);
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          writer.write(new LayerEntry.File(dir.relativize(file).toString(), EntryAttributes.DEFAULT_FILE,
              Files.size(file)), in);
        }
      }
      writer.finish();
    }
  }

  /** Writes what {@code docker save} writes for the layout's image: manifest.json, config, layer tars. */
  static void dockerSave(Path layout, Path tar) throws Exception {
    try (LoadedImage image = new ImageLoader(null, Platform.of("linux", "amd64"), layout.getParent())
            .load(new ImageInput.Layout(layout, null));
        OutputStream out = Files.newOutputStream(tar)) {
      LayerTarWriter writer = new LayerTarWriter(out, Instant.EPOCH);
      List<String> layers = new ArrayList<>();
      for (int i = 0; i < image.layers().size(); i++) {
        byte[] plain;
        try (InputStream in = new GZIPInputStream(image.layers().get(i).open())) {
          plain = in.readAllBytes();
        }
        String name = "layer" + i + "/layer.tar";
        layers.add("\"" + name + "\"");
        put(writer, name, plain);
      }
      put(writer, "config.json", image.config().toBytes());
      put(writer, "manifest.json", ("[{\"Config\":\"config.json\",\"RepoTags\":[\"b:1\"],\"Layers\":"
          + layers + "}]").getBytes(StandardCharsets.UTF_8));
      writer.finish();
    }
  }

  private static void put(LayerTarWriter writer, String name, byte[] content) throws IOException {
    writer.write(new LayerEntry.File(name, EntryAttributes.DEFAULT_FILE, content.length),
        new ByteArrayInputStream(content));
  }
}
