package io.slipway.testing.images;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes small, real, reproducible container images for tests, from Debian's {@code
 * busybox-static} ({@code /bin/busybox}), as OCI image layouts.
 *
 * <p>Every image has three gzip layers: {@code /bin/busybox}; symlinks {@code /bin/sh}, {@code
 * /bin/ls}, … pointing at it; and {@code /etc/os-release} naming the platform. The config sets
 * {@code Env PATH=…} and {@code Cmd ["/bin/sh"]}. Timestamps, owners and gzip headers are fixed,
 * so the same call always writes the same digests. Use:
 *
 * <pre>{@code
 * TestImage image = TestImages.busybox(tempDir.resolve("layout"));          // linux/amd64
 * TestImage multi = TestImages.busyboxIndex(tempDir.resolve("multi"));      // amd64 + arm64
 * skopeo copy --all image.ociReference() docker://127.0.0.1:5000/busybox:1
 * }</pre>
 *
 * <p>The arm64 variant carries the same amd64 busybox binary (Debian ships one architecture per
 * machine); it is a distinct image for registries and clients, not one to run. Tests using this
 * class need {@code /bin/busybox}: annotate them {@code @RequiresTool(value = "busybox",
 * debianPackage = "busybox-static")}. Stateless and thread-safe; each call writes its own
 * directory.
 */
public final class TestImages {
  /** The file the images are made from. */
  public static final Path BUSYBOX = Path.of("/bin/busybox");

  /** Tag of the images in their layout's {@code index.json}. */
  public static final String TAG = "latest";

  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

  private static final List<String> APPLETS =
      List.of("sh", "ls", "cat", "echo", "env", "true", "false", "mkdir", "rm", "cp", "mv",
          "sleep", "grep", "sed", "tar", "gzip", "id", "pwd", "uname", "wc");
  /** 2024-01-01T00:00:00Z, a fixed time for every entry and the config's {@code created}. */
  private static final long EPOCH_SECONDS = 1_704_067_200L;
  private static final String CREATED = "2024-01-01T00:00:00Z";
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

  private TestImages() {}

  /** Writes a linux/amd64 busybox image into a new OCI layout at {@code layout}. */
  public static TestImage busybox(Path layout) throws IOException {
    Writer writer = new Writer(layout);
    Built image = writer.image("amd64");
    writer.finish(image.manifest, TAG);
    List<String> manifests = List.of(image.manifest.digest);
    return new TestImage(layout, TAG, image.manifest.digest, OCI_MANIFEST, manifests, image.blobs);
  }

  /**
   * Writes an image index with two platforms, linux/amd64 and linux/arm64, sharing the busybox
   * layer, into a new OCI layout at {@code layout}.
   */
  public static TestImage busyboxIndex(Path layout) throws IOException {
    Writer writer = new Writer(layout);
    Built amd64 = writer.image("amd64");
    Built arm64 = writer.image("arm64");
    List<Map<String, Object>> children = new ArrayList<>();
    for (Built built : List.of(amd64, arm64)) {
      Map<String, Object> child = built.manifest.descriptor(OCI_MANIFEST);
      child.put("platform", ordered("architecture", built.architecture, "os", "linux"));
      children.add(child);
    }
    Blob index =
        writer.blob(
            JSON.writeValueAsBytes(
                ordered("schemaVersion", 2, "mediaType", OCI_INDEX, "manifests", children)));
    writer.finish(index.withMediaType(OCI_INDEX), TAG);
    List<String> blobs = new ArrayList<>(amd64.blobs);
    for (String blob : arm64.blobs) {
      if (!blobs.contains(blob)) {
        blobs.add(blob);
      }
    }
    return new TestImage(
        layout, TAG, index.digest, OCI_INDEX, List.of(amd64.manifest.digest, arm64.manifest.digest),
        blobs);
  }

  private record Blob(String digest, long size, String mediaType) {
    Map<String, Object> descriptor(String type) {
      return ordered("mediaType", type, "digest", digest, "size", size);
    }

    Blob withMediaType(String type) {
      return new Blob(digest, size, type);
    }
  }

  private record Built(Blob manifest, String architecture, List<String> blobs) {}

  /** Writes blobs into one layout; confined to one call. */
  private static final class Writer {
    private final Path layout;
    private final Path blobs;

    Writer(Path layout) throws IOException {
      this.layout = layout;
      this.blobs = layout.resolve("blobs").resolve("sha256");
      Files.createDirectories(blobs);
      Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    Blob blob(byte[] bytes) throws IOException {
      String hex = sha256Hex(bytes);
      Path target = blobs.resolve(hex);
      if (!Files.exists(target)) {
        Files.write(target, bytes);
      }
      return new Blob("sha256:" + hex, bytes.length, null);
    }

    Built image(String architecture) throws IOException {
      if (!Files.isRegularFile(BUSYBOX)) {
        throw new IOException(
            BUSYBOX + " is missing: install Debian's busybox-static (apt-get install busybox-static)");
      }
      List<byte[]> tars =
          List.of(
              tar(List.of(directory("bin/"), file("bin/busybox", Files.readAllBytes(BUSYBOX), 0755))),
              tar(APPLETS.stream().map(applet -> symlink("bin/" + applet, "busybox")).toList()),
              tar(List.of(directory("etc/"), file("etc/os-release",
                  ("NAME=slipway-test-busybox\nID=busybox\nARCHITECTURE=" + architecture + "\n")
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8), 0644))));
      List<Map<String, Object>> layers = new ArrayList<>();
      List<String> diffIds = new ArrayList<>();
      List<Map<String, Object>> history = new ArrayList<>();
      List<String> blobDigests = new ArrayList<>();
      String[] steps = {"COPY busybox /bin/busybox", "RUN busybox --install -s /bin", "COPY os-release /etc/"};
      for (int i = 0; i < tars.size(); i++) {
        Blob layer = blob(gzip(tars.get(i)));
        layers.add(layer.descriptor(OCI_LAYER_GZIP));
        diffIds.add("sha256:" + sha256Hex(tars.get(i)));
        history.add(ordered("created", CREATED, "created_by", steps[i]));
        blobDigests.add(layer.digest);
      }
      Map<String, Object> config =
          ordered(
              "created", CREATED,
              "architecture", architecture,
              "os", "linux",
              "config",
                  ordered(
                      "Env", List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                      "Cmd", List.of("/bin/sh")),
              "rootfs", ordered("type", "layers", "diff_ids", diffIds),
              "history", history);
      Blob configBlob = blob(JSON.writeValueAsBytes(config));
      blobDigests.add(0, configBlob.digest);
      Map<String, Object> manifest =
          ordered(
              "schemaVersion", 2,
              "mediaType", OCI_MANIFEST,
              "config", configBlob.descriptor(OCI_CONFIG),
              "layers", layers);
      Blob manifestBlob = blob(JSON.writeValueAsBytes(manifest)).withMediaType(OCI_MANIFEST);
      return new Built(manifestBlob, architecture, List.copyOf(blobDigests));
    }

    void finish(Blob top, String tag) throws IOException {
      Map<String, Object> entry = top.descriptor(top.mediaType);
      entry.put("annotations", ordered("org.opencontainers.image.ref.name", tag));
      Map<String, Object> index =
          ordered("schemaVersion", 2, "mediaType", OCI_INDEX, "manifests", List.of(entry));
      Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
    }
  }

  private interface TarEntry {
    void writeTo(TarArchiveOutputStream tar) throws IOException;
  }

  private static TarArchiveEntry owned(TarArchiveEntry entry, int mode) {
    entry.setModTime(EPOCH_SECONDS * 1000);
    entry.setIds(0, 0);
    entry.setNames("root", "root");
    entry.setMode(mode);
    return entry;
  }

  private static TarEntry directory(String name) {
    return tar -> {
      tar.putArchiveEntry(owned(new TarArchiveEntry(name), 040755));
      tar.closeArchiveEntry();
    };
  }

  private static TarEntry file(String name, byte[] content, int permissions) {
    return tar -> {
      TarArchiveEntry entry = owned(new TarArchiveEntry(name), 0100000 | permissions);
      entry.setSize(content.length);
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
    };
  }

  private static TarEntry symlink(String name, String target) {
    return tar -> {
      TarArchiveEntry entry =
          owned(new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK), 0120777);
      entry.setLinkName(target);
      tar.putArchiveEntry(entry);
      tar.closeArchiveEntry();
    };
  }

  private static byte[] tar(List<TarEntry> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (TarEntry entry : entries) {
        entry.writeTo(tar);
      }
    }
    return out.toByteArray();
  }

  /** Gzip with the JDK's fixed header (mtime 0, no name), so output depends on input only. */
  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  private static Map<String, Object> ordered(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }
}
