package io.slipway.diff.image;

import io.slipway.diff.tree.TreeChange;
import io.slipway.oci.Descriptor;
import io.slipway.oci.ImageConfig;
import io.slipway.store.layer.LayerEntry;
import io.slipway.store.layer.LayerReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Compares two {@link LoadedImage}s: their configs and manifests ({@link #compareConfig}) and
 * their merged filesystems ({@link #compareFiles}), the latter by streaming every layer once per
 * image into a path-ordered index and walking both indexes side by side.
 *
 * <p><b>Memory.</b> Each image's index holds at most {@code indexLimit} records on the heap
 * (about {@code 160 + 2 × (path + link target + digest)} bytes each, so roughly 450 bytes for
 * typical paths) and spills sorted runs to one temporary file beyond that; merging reads each run
 * through an 8 KiB window. Peak heap for a comparison is therefore about {@code 2 × indexLimit ×
 * 450 B + 2 × runs × 8 KiB + 64 KiB} plus one frame per directory level, whatever the number of
 * files: with the default limit of 32,768 records, under 32 MiB.
 *
 * <p>Safe for concurrent use: it holds only its settings.
 */
public final class ImageDiffer {
  /** Index records held in memory per image before spilling. */
  public static final int DEFAULT_INDEX_LIMIT = 32_768;

  private final int indexLimit;
  private final Path tempDir;

  /**
   * @param indexLimit records per image held on the heap before the index spills to disk
   * @param tempDir where spill files and extracted file contents go
   */
  public ImageDiffer(int indexLimit, Path tempDir) {
    if (indexLimit < 1) {
      throw new IllegalArgumentException("index limit must be positive: " + indexLimit);
    }
    this.indexLimit = indexLimit;
    this.tempDir = Objects.requireNonNull(tempDir, "tempDir");
  }

  /** Differences in manifest and config, in a stable order: platform, run settings, then layers. */
  public List<ConfigChange> compareConfig(LoadedImage a, LoadedImage b) {
    List<ConfigChange> changes = new ArrayList<>();
    ImageConfig ca = a.config();
    ImageConfig cb = b.config();
    value(changes, "platform", platform(ca), platform(cb));
    value(changes, "user", ca.config().user(), cb.config().user());
    value(changes, "workdir", ca.config().workingDir(), cb.config().workingDir());
    value(changes, "entrypoint", list(ca.config().entrypoint()), list(cb.config().entrypoint()));
    value(changes, "cmd", list(ca.config().cmd()), list(cb.config().cmd()));
    value(changes, "shell", list(ca.config().shell()), list(cb.config().shell()));
    value(changes, "stopsignal", ca.config().stopSignal(), cb.config().stopSignal());
    keyed(changes, "env", env(ca.config().env()), env(cb.config().env()));
    keyed(changes, "labels", new TreeMap<>(ca.config().labels()), new TreeMap<>(cb.config().labels()));
    keyed(changes, "ports", presence(ca.config().exposedPorts()), presence(cb.config().exposedPorts()));
    keyed(changes, "volumes", presence(ca.config().volumes()), presence(cb.config().volumes()));
    value(changes, "manifest", a.manifest() == null ? null : a.manifest().digest().toString(),
        b.manifest() == null ? null : b.manifest().digest().toString());
    value(changes, "config", a.configDescriptor().digest().toString(), b.configDescriptor().digest().toString());
    Set<String> layersA = layerDigests(a);
    Set<String> layersB = layerDigests(b);
    for (String layer : layersA) {
      if (!layersB.contains(layer)) {
        changes.add(new ConfigChange("layers." + layer, "present", null));
      }
    }
    for (String layer : layersB) {
      if (!layersA.contains(layer)) {
        changes.add(new ConfigChange("layers." + layer, null, "present"));
      }
    }
    value(changes, "layers.count", Integer.toString(a.layers().size()), Integer.toString(b.layers().size()));
    return changes;
  }

  /**
   * Streams the differences of the two merged filesystems to {@code sink}, in path order.
   *
   * @return true when any difference was found
   */
  public boolean compareFiles(LoadedImage a, LoadedImage b, Consumer<ImageFileChange> sink) throws IOException {
    try (MergedFilesystem fa = MergedFilesystem.index(a, indexLimit, tempDir);
        MergedFilesystem fb = MergedFilesystem.index(b, indexLimit, tempDir)) {
      return join(fa.files(), fb.files(), sink);
    }
  }

  /** As {@link #compareFiles}, also reporting how many runs each index spilled (for tests). */
  int[] compareFilesCountingSpills(LoadedImage a, LoadedImage b, Consumer<ImageFileChange> sink)
      throws IOException {
    try (MergedFilesystem fa = MergedFilesystem.index(a, indexLimit, tempDir);
        MergedFilesystem fb = MergedFilesystem.index(b, indexLimit, tempDir)) {
      join(fa.files(), fb.files(), sink);
      return new int[] {fa.spilledRuns(), fb.spilledRuns()};
    }
  }

  private static boolean join(Iterator<ImageFile> ia, Iterator<ImageFile> ib, Consumer<ImageFileChange> sink) {
    boolean changed = false;
    ImageFile x = ia.hasNext() ? ia.next() : null;
    ImageFile y = ib.hasNext() ? ib.next() : null;
    while (x != null || y != null) {
      int order = x == null ? 1 : y == null ? -1 : FsRecord.comparePaths(x.path(), y.path());
      if (order < 0) {
        sink.accept(new ImageFileChange(TreeChange.Kind.REMOVED, x.path(), x, null, Set.of()));
        changed = true;
        x = ia.hasNext() ? ia.next() : null;
      } else if (order > 0) {
        sink.accept(new ImageFileChange(TreeChange.Kind.ADDED, y.path(), null, y, Set.of()));
        changed = true;
        y = ib.hasNext() ? ib.next() : null;
      } else {
        Set<TreeChange.Aspect> aspects = aspects(x, y);
        if (!aspects.isEmpty()) {
          sink.accept(new ImageFileChange(TreeChange.Kind.MODIFIED, x.path(), x, y, aspects));
          changed = true;
        }
        x = ia.hasNext() ? ia.next() : null;
        y = ib.hasNext() ? ib.next() : null;
      }
    }
    return changed;
  }

  private static Set<TreeChange.Aspect> aspects(ImageFile x, ImageFile y) {
    Set<TreeChange.Aspect> aspects = EnumSet.noneOf(TreeChange.Aspect.class);
    if (x.type() != y.type()) {
      aspects.add(TreeChange.Aspect.TYPE);
    }
    if (x.mode() != y.mode()) {
      aspects.add(TreeChange.Aspect.MODE);
    }
    if (x.uid() != y.uid() || x.gid() != y.gid()) {
      aspects.add(TreeChange.Aspect.OWNER);
    }
    if (x.size() != y.size()) {
      aspects.add(TreeChange.Aspect.SIZE);
    }
    if (!x.linkTarget().equals(y.linkTarget())) {
      aspects.add(TreeChange.Aspect.LINK_TARGET);
    }
    if (!x.digest().equals(y.digest())) {
      aspects.add(TreeChange.Aspect.CONTENT);
    }
    return aspects;
  }

  /**
   * Copies the contents of {@code files} out of {@code image}'s layers into temporary files, one
   * pass over each layer that supplied any of them; returns path → copy. The caller deletes the
   * copies. Files larger than {@code maxBytes} are left out.
   */
  public Map<String, Path> extract(LoadedImage image, List<ImageFile> files, long maxBytes) throws IOException {
    Map<Integer, Map<String, ImageFile>> byLayer = new TreeMap<>();
    for (ImageFile file : files) {
      if (file.type() == ImageFile.Type.FILE && file.size() <= maxBytes) {
        byLayer.computeIfAbsent(file.layer(), l -> new HashMap<>()).put(file.path(), file);
      }
    }
    Map<String, Path> copies = new HashMap<>();
    for (Map.Entry<Integer, Map<String, ImageFile>> layer : byLayer.entrySet()) {
      LoadedImage.Layer source = image.layers().get(layer.getKey());
      Map<String, ImageFile> wanted = layer.getValue();
      try (LayerReader reader = LayerReader.open(source.open())) {
        for (Optional<LayerEntry> next = reader.next();
            next.isPresent() && copies.size() < files.size();
            next = reader.next()) {
          if (next.get() instanceof LayerEntry.File file && wanted.containsKey(file.path())) {
            Path copy = Files.createTempFile(tempDir, "slipway-imagediff-", ".content");
            try (OutputStream out = Files.newOutputStream(copy)) {
              reader.content().transferTo(out);
            }
            Path previous = copies.put(file.path(), copy);
            if (previous != null) {
              Files.deleteIfExists(previous);
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        for (Path copy : copies.values()) {
          Files.deleteIfExists(copy);
        }
        throw new ImageInputException(image.label(), "layer " + layer.getKey() + " ("
            + source.descriptor().digest() + "): " + e.getMessage(), e);
      }
    }
    return copies;
  }

  private static String platform(ImageConfig config) {
    String os = config.os() == null ? "" : config.os();
    String arch = config.architecture() == null ? "" : config.architecture();
    return os + "/" + arch + (config.variant() == null ? "" : "/" + config.variant());
  }

  private static String list(List<String> values) {
    return values.isEmpty() ? null : values.toString();
  }

  private static Map<String, String> env(List<String> env) {
    Map<String, String> values = new TreeMap<>();
    for (String entry : env) {
      int eq = entry.indexOf('=');
      values.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
    }
    return values;
  }

  private static Map<String, String> presence(Set<String> keys) {
    Map<String, String> values = new TreeMap<>();
    for (String key : keys) {
      values.put(key, "present");
    }
    return values;
  }

  private static Set<String> layerDigests(LoadedImage image) {
    Set<String> digests = new LinkedHashSet<>();
    for (LoadedImage.Layer layer : image.layers()) {
      Descriptor descriptor = layer.descriptor();
      digests.add(descriptor.digest().toString());
    }
    return digests;
  }

  private static void value(List<ConfigChange> changes, String field, String before, String after) {
    if (!Objects.equals(before, after)) {
      changes.add(new ConfigChange(field, before, after));
    }
  }

  private static void keyed(List<ConfigChange> changes, String prefix, Map<String, String> before,
      Map<String, String> after) {
    Set<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    for (String key : keys) {
      value(changes, prefix + "." + key, before.get(key), after.get(key));
    }
  }
}
