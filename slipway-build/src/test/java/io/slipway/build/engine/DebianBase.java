package io.slipway.build.engine;

import io.slipway.build.cache.LayerRef;
import io.slipway.build.snapshot.Trees;
import io.slipway.build.solver.Executor;
import io.slipway.client.layout.OciLayout;
import io.slipway.oci.Descriptor;
import io.slipway.oci.ImageConfig;
import io.slipway.oci.ImageManifest;
import io.slipway.oci.ManifestBytes;
import io.slipway.oci.MediaTypes;
import io.slipway.oci.Platform;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.layer.ChangeSet;
import io.slipway.store.layer.LayerWriteOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A minimal Debian base image for realistic RUN tests: {@code debootstrap --variant=minbase} of
 * the host's own suite from the mirror the host's APT sources name (the only archive reachable
 * from CI), packed by Slipway's layer writer as a one-layer OCI layout. Made once per build
 * directory and reused: the layout is complete when its {@code complete} marker exists, and a
 * file lock (plus a JVM lock, since file locks are per process) makes parallel test runs build it
 * once. Safe for concurrent use.
 */
final class DebianBase {

  /** The name of the image in its layout's {@code index.json}. */
  private static final String TAG = "latest";

  private static final Object JVM_LOCK = new Object();
  private static final Duration DEBOOTSTRAP_LIMIT = Duration.ofMinutes(20);
  private static final Instant CREATED = Instant.parse("2024-01-01T00:00:00Z");

  /** Where packages come from: an APT mirror and a suite (codename) in it. */
  record Source(String mirror, String suite) {

    /**
     * The host's suite ({@code VERSION_CODENAME} of {@code /etc/os-release}) and the first
     * enabled {@code deb} source for it in {@code /etc/apt/sources.list} and
     * {@code /etc/apt/sources.list.d/*.list|*.sources} (one-line and deb822 forms).
     */
    static Source ofHost() throws IOException {
      String suite = osRelease().get("VERSION_CODENAME");
      if (suite == null || suite.isBlank()) {
        throw new IOException("/etc/os-release names no VERSION_CODENAME: not a Debian host?");
      }
      List<Path> files = new ArrayList<>();
      files.add(Path.of("/etc/apt/sources.list"));
      Path dir = Path.of("/etc/apt/sources.list.d");
      if (Files.isDirectory(dir)) {
        try (Stream<Path> listing = Files.list(dir)) {
          listing.sorted().forEach(files::add);
        }
      }
      for (Path file : files) {
        if (!Files.isRegularFile(file)) {
          continue;
        }
        String name = file.getFileName().toString();
        Optional<String> mirror = name.endsWith(".sources")
            ? deb822Mirror(Files.readString(file), suite)
            : name.endsWith(".list") ? oneLineMirror(Files.readString(file), suite)
                : Optional.empty();
        if (mirror.isPresent()) {
          return new Source(mirror.get(), suite);
        }
      }
      throw new IOException("no enabled \"deb\" source for suite " + suite
          + " in /etc/apt/sources.list or /etc/apt/sources.list.d");
    }

    private static Optional<String> deb822Mirror(String text, String suite) {
      for (String paragraph : text.split("\\n\\s*\\n")) {
        Map<String, String> fields = new LinkedHashMap<>();
        String last = null;
        for (String line : paragraph.lines().toList()) {
          if (line.startsWith("#") || line.isBlank()) {
            continue;
          }
          if (Character.isWhitespace(line.charAt(0)) && last != null) {
            fields.merge(last, " " + line.strip(), String::concat);
            continue;
          }
          int colon = line.indexOf(':');
          if (colon > 0) {
            last = line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT);
            fields.put(last, line.substring(colon + 1).strip());
          }
        }
        boolean enabled = !"no".equalsIgnoreCase(fields.getOrDefault("enabled", "yes"));
        List<String> types = words(fields.get("types"));
        List<String> suites = words(fields.get("suites"));
        List<String> uris = words(fields.get("uris"));
        if (enabled && types.contains("deb") && suites.contains(suite) && !uris.isEmpty()) {
          return Optional.of(uris.getFirst());
        }
      }
      return Optional.empty();
    }

    private static Optional<String> oneLineMirror(String text, String suite) {
      for (String line : text.lines().toList()) {
        String stripped = line.strip();
        if (!stripped.startsWith("deb ")) {
          continue;
        }
        // deb [option=value ...] URI SUITE [COMPONENT ...]
        String rest = stripped.substring(4).strip();
        if (rest.startsWith("[")) {
          rest = rest.substring(rest.indexOf(']') + 1).strip();
        }
        List<String> parts = words(rest);
        if (parts.size() >= 2 && parts.get(1).equals(suite)) {
          return Optional.of(parts.getFirst());
        }
      }
      return Optional.empty();
    }

    private static List<String> words(String value) {
      return value == null || value.isBlank() ? List.of()
          : Arrays.asList(value.strip().split("\\s+"));
    }

    private static Map<String, String> osRelease() throws IOException {
      Map<String, String> values = new LinkedHashMap<>();
      for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          values.put(line.substring(0, eq), line.substring(eq + 1).replace("\"", ""));
        }
      }
      return values;
    }
  }

  private DebianBase() {}

  /**
   * The OCI layout of the base image under {@code cache} (made there first if needed), holding
   * one image tagged {@code latest}. Progress and how long each part took go to standard output.
   */
  static Path layout(Path cache) throws IOException, InterruptedException {
    Source source = Source.ofHost();
    String architecture = command(List.of("dpkg", "--print-architecture"), Duration.ofMinutes(1))
        .strip();
    Path home = Files.createDirectories(
        cache.resolve(source.suite() + "-minbase-" + architecture));
    Path layout = home.resolve("layout");
    Path complete = home.resolve("complete");
    synchronized (JVM_LOCK) {
      try (FileChannel channel = FileChannel.open(home.resolve("lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        // Held until the channel closes: other processes wait here for one build of the base.
        channel.lock();
        if (Files.exists(complete)) {
          return layout;
        }
        // A run that died half-way left these; they are rebuilt from scratch.
        Path rootfs = home.resolve("rootfs");
        Path state = home.resolve("state");
        for (Path partial : List.of(rootfs, state, layout)) {
          Trees.delete(partial);
        }
        long started = System.nanoTime();
        command(List.of("debootstrap", "--variant=minbase", "--arch=" + architecture,
            source.suite(), rootfs.toString(), source.mirror()), DEBOOTSTRAP_LIMIT);
        long bootstrapped = System.nanoTime();
        clean(rootfs);
        String manifest = pack(rootfs, state, layout, source, architecture);
        long packed = System.nanoTime();
        Trees.delete(rootfs);
        Trees.delete(state);
        Files.writeString(complete, source.mirror() + " " + source.suite() + " " + manifest + "\n",
            StandardCharsets.UTF_8);
        System.out.printf("debian base: debootstrap %s from %s took %d s, packing %d s%n",
            source.suite(), source.mirror(),
            TimeUnit.NANOSECONDS.toSeconds(bootstrapped - started),
            TimeUnit.NANOSECONDS.toSeconds(packed - bootstrapped));
        return layout;
      }
    }
  }

  /** Drops the packages debootstrap downloaded, as {@code apt-get clean} does in base images. */
  private static void clean(Path rootfs) throws IOException {
    Path archives = rootfs.resolve("var/cache/apt/archives");
    try (Stream<Path> listing = Files.list(archives)) {
      for (Path file : listing.toList()) {
        if (file.getFileName().toString().endsWith(".deb")) {
          Files.delete(file);
        }
      }
    }
  }

  /** Writes {@code rootfs} as a one-layer image into {@code layout}; returns its manifest digest. */
  private static String pack(Path rootfs, Path state, Path layout, Source source,
      String architecture) throws IOException, InterruptedException {
    // A throwaway engine lends its store and the solver's layer writing, as a build would use.
    try (BuildEngine packer = BuildEngine.open(state, store -> (reference, platform) -> {
          throw new IOException("packing the Debian base pulls no image: " + reference);
        }, Optional.empty(), Executor.unavailable(), 1, Clock.systemUTC())) {
      BlobStore store = packer.store();
      LayerRef layer = packer.solver().writeLayer(ChangeSet.of(rootfs),
          LayerWriteOptions.defaults());
      ImageConfig config = ImageConfig.of(Platform.of("linux", architecture))
          .withCreated(CREATED)
          .withConfig(ImageConfig.RunConfig.EMPTY
              .withEnv(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"))
              .withCmd(List.of("bash")))
          .withLayer(layer.diffId(), new ImageConfig.History(CREATED.toString(),
              "debootstrap --variant=minbase " + source.suite() + " " + source.mirror(), null,
              null, false));
      byte[] configBytes = config.toBytes();
      Descriptor configDescriptor = Descriptor.of(MediaTypes.OCI_CONFIG, configBytes);
      put(store, configDescriptor, configBytes);
      ManifestBytes manifest =
          ManifestBytes.serialize(ImageManifest.of(configDescriptor, List.of(layer.blob())));
      put(store, manifest.descriptor(), manifest.bytes());
      OciLayout.write(store, manifest.descriptor(), TAG, layout, 4 * 1024 * 1024);
      return manifest.descriptor().digest().toString();
    }
  }

  private static void put(BlobStore store, Descriptor descriptor, byte[] bytes)
      throws IOException {
    store.put(new ByteArrayInputStream(bytes), descriptor.digest(), bytes.length);
  }

  /** Runs {@code command}; its output, or an error quoting the output's end. */
  private static String command(List<String> command, Duration limit)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("slipway-debian-base", ".log");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish within " + limit);
      }
      String output = Files.readString(log);
      if (process.exitValue() != 0) {
        String tail = output.length() > 4000 ? output.substring(output.length() - 4000) : output;
        throw new IOException(String.join(" ", command) + " failed with exit code "
            + process.exitValue() + ":\n" + tail);
      }
      return output;
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
