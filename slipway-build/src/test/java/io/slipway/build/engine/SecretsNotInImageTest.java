package io.slipway.build.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.slipway.build.export.Output;
import io.slipway.build.run.BuildSession;
import io.slipway.build.run.SecretStore;
import io.slipway.build.solver.Executor;
import io.slipway.build.solver.SolveListener;
import io.slipway.store.compress.Compression;
import io.slipway.store.layer.LayerEntry;
import io.slipway.store.layer.LayerReader;
import io.slipway.testing.IntegrationTest;
import io.slipway.testing.RequiresTool;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build whose RUN steps read secrets ({@code RUN --mount=type=secret}, from a file and from a
 * value such as an environment variable) leaves them nowhere: not in any layer of the exported
 * OCI archive (file contents, names, link targets, xattrs, PAX headers: the whole uncompressed tar
 * stream, and the compressed bytes), not in the config, history, manifest or index, not in the
 * build cache database or anywhere else under the state root, and not in the build's trace spans
 * (what {@code --trace-file} writes). The steps prove they saw each secret by writing its
 * SHA-256 into the image.
 *
 * <p>Driven at the engine level (the session goes to the RUN executor the engine is opened with),
 * so it does not depend on how the CLI's {@code --secret} flags are parsed.
 */
@IntegrationTest
@RequiresTool(value = {"runc", "busybox"}, debianPackage = "runc busybox-static")
class SecretsNotInImageTest {

  /** Distinctive values that occur nowhere else by chance. */
  private static final String FILE_SECRET = "file-secret-7f3a9c41d2e8b605";
  private static final String ENV_SECRET = "env-secret-c05e2b9d8a7f1463";

  @TempDir Path dir;

  @Test
  void leavesNoSecretInLayersConfigCacheOrTrace() throws Exception {
    // Each use of a secret is one a careless executor could leak: a mount at the default
    // target (its stub directory /run/secrets), one at a chosen path beside image files, a
    // copy made and removed in the same step, and an environment variable.
    Scan scan = build("""
        FROM busybox
        RUN --mount=type=secret,id=token,required=true \\
            sha256sum /run/secrets/token | cut -d' ' -f1 > /token.sha256
        RUN --mount=type=secret,id=token,target=/etc/app/token,required=true \\
            cp /etc/app/token /etc/app-token-copy && rm /etc/app-token-copy \\
            && wc -c < /etc/app/token > /token.length
        RUN --mount=type=secret,id=api,env=API_TOKEN,required=true \\
            printf %s "$API_TOKEN" | sha256sum | cut -d' ' -f1 > /api.sha256
        ENV NOT_SECRET=plain
        CMD ["/bin/sh"]
        """);

    assertThat(text(scan.rootfs().get("token.sha256"))).isEqualTo(sha256(FILE_SECRET) + "\n");
    assertThat(text(scan.rootfs().get("token.length")).strip())
        .isEqualTo(Integer.toString(FILE_SECRET.length()));
    assertThat(text(scan.rootfs().get("api.sha256"))).isEqualTo(sha256(ENV_SECRET) + "\n");
    assertThat(scan.rootfs()).doesNotContainKeys("run/secrets", "etc/app/token", "etc/app",
        "etc/app-token-copy", "run");
    assertThat(scan.spans()).isPositive();
    assertThat(scan.leaks()).as("places holding a secret").isEmpty();
  }

  /** The scan finds what a step writes into the image: it can fail. */
  @Test
  void findsSecretsAStepWritesIntoTheImage() throws Exception {
    Scan scan = build("""
        FROM busybox
        RUN --mount=type=secret,id=token cp /run/secrets/token /copied \\
            && mkdir "/dir-$(cat /run/secrets/token)"
        RUN --mount=type=secret,id=api,env=API_TOKEN printf %s "$API_TOKEN" > /api
        """);

    assertThat(scan.leaks())
        .anyMatch(l -> l.contains("(uncompressed) holds the file secret"))
        .anyMatch(l -> l.contains("entry copied (content) holds the file secret"))
        .anyMatch(l -> l.contains("entry dir-" + FILE_SECRET))
        .anyMatch(l -> l.contains("entry api (content) holds the env secret"))
        .anyMatch(l -> l.contains("/snapshots/") && l.contains("holds the file secret"));
  }

  /** What a build left: the merged image files, where secrets were found, how many spans. */
  private record Scan(Map<String, byte[]> rootfs, List<String> leaks, int spans) {}

  /** Builds {@code dockerfile} with both secrets, exports it as an OCI archive and scans. */
  private Scan build(String dockerfile) throws Exception {
    Path secretFile = dir.resolve("secret.txt");
    Files.writeString(secretFile, FILE_SECRET, StandardCharsets.UTF_8);
    BuildSession session = new BuildSession(
        SecretStore.of(Map.of("token", secretFile), Map.of("api", ENV_SECRET)), Map.of(),
        Set.of());
    Executor runc = RuncSteps.open(dir.resolve("run"), session, (stream, line) -> { });
    Path state = dir.resolve("state");
    Path archive = dir.resolve("image.tar");
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    List<SpanData> spans;
    try (SdkTracerProvider tracing = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
        BuildFixture fixture = new BuildFixture(dir, state, runc)) {
      fixture.engine.withTracer(tracing.get("test")).build(
          fixture.request(dockerfile,
              new Output.OciTar(archive, List.of("example.com/secrets:1"),
                  Output.LayerSettings.DEFAULT)),
          SolveListener.NONE);
      tracing.forceFlush().join(30, TimeUnit.SECONDS);
      // Taken before the provider closes: shutting the exporter down empties it.
      spans = List.copyOf(exporter.getFinishedSpanItems());
    }
    List<String> leaks = new ArrayList<>();
    scanArchive(archive, leaks);
    scanTree(state, leaks);
    scanTree(dir.resolve("run"), leaks);
    for (SpanData span : spans) {
      // What --trace-file writes: names, attributes, events and errors of every span.
      scan("trace span " + span.getName(), span.toString().getBytes(StandardCharsets.UTF_8),
          leaks);
    }
    return new Scan(filesOfImage(archive), leaks, spans.size());
  }

  /** Every blob of the OCI archive raw, every layer also uncompressed and entry by entry. */
  private static void scanArchive(Path archive, List<String> leaks) throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(archive))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (!entry.isFile()) {
          continue;
        }
        byte[] bytes = tar.readAllBytes();
        String where = "archive " + entry.getName();
        // The manifest, config (with history) and index are JSON blobs scanned as they are.
        scan(where, bytes, leaks);
        if (isLayer(bytes)) {
          scanLayer(where, bytes, leaks);
        }
      }
    }
  }

  /** Whether {@code blob} is a gzip or a plain tar, the forms an exported layer takes. */
  private static boolean isLayer(byte[] blob) {
    boolean gzip = blob.length > 2 && (blob[0] & 0xff) == 0x1f && (blob[1] & 0xff) == 0x8b;
    boolean tar = blob.length > 262
        && new String(blob, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    return gzip || tar;
  }

  private static void scanLayer(String where, byte[] blob, List<String> leaks)
      throws IOException {
    // The whole uncompressed stream: names, PAX headers (xattrs, long names), link targets and
    // contents are all in it.
    try (InputStream in = Compression.decompressDetected(new ByteArrayInputStream(blob))) {
      scan(where + " (uncompressed)", in.readAllBytes(), leaks);
    }
    // Entry by entry, so a leak names its entry.
    try (LayerReader reader = LayerReader.open(new ByteArrayInputStream(blob))) {
      Optional<LayerEntry> next;
      while ((next = reader.next()).isPresent()) {
        LayerEntry entry = next.get();
        String name = where + " entry " + entry.path();
        scan(name + " (header)", entry.toString().getBytes(StandardCharsets.UTF_8), leaks);
        if (entry instanceof LayerEntry.File) {
          scan(name + " (content)", reader.content().readAllBytes(), leaks);
        }
      }
    }
  }

  /** Every file under {@code root}: the cache database and its WAL, blobs, snapshot trees. */
  private static void scanTree(Path root, List<String> leaks) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
        scan(directory + " (name)", directory.toString().getBytes(StandardCharsets.UTF_8), leaks);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
          throws IOException {
        scan(file.toString() + " (name)", file.toString().getBytes(StandardCharsets.UTF_8),
            leaks);
        if (attributes.isSymbolicLink()) {
          scan(file + " (link)", Files.readSymbolicLink(file).toString()
              .getBytes(StandardCharsets.UTF_8), leaks);
        } else if (attributes.isRegularFile()) {
          scan(file.toString(), Files.readAllBytes(file), leaks);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void scan(String where, byte[] bytes, List<String> leaks) {
    for (String secret : List.of(FILE_SECRET, ENV_SECRET)) {
      if (indexOf(bytes, secret.getBytes(StandardCharsets.UTF_8)) >= 0) {
        leaks.add(where + " holds " + (secret.equals(FILE_SECRET) ? "the file" : "the env")
            + " secret");
      }
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The merged root file system of the archive's image: path → content of regular files. */
  private static Map<String, byte[]> filesOfImage(Path archive) throws IOException {
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(archive))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.isFile()) {
          blobs.put(entry.getName(), tar.readAllBytes());
        }
      }
    }
    ObjectMapper json = new ObjectMapper();
    String manifestDigest = json.readTree(blobs.get("index.json"))
        .get("manifests").get(0).get("digest").asText();
    var manifest = json.readTree(blobs.get(blobPath(manifestDigest)));
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (var layer : manifest.get("layers")) {
      byte[] blob = blobs.get(blobPath(layer.get("digest").asText()));
      try (LayerReader reader = LayerReader.open(new ByteArrayInputStream(blob))) {
        Optional<LayerEntry> next;
        while ((next = reader.next()).isPresent()) {
          LayerEntry entry = next.get();
          switch (entry) {
            case LayerEntry.File file ->
                files.put(file.path(), reader.content().readAllBytes());
            case LayerEntry.Whiteout whiteout -> files.keySet().removeIf(
                p -> p.equals(whiteout.path()) || p.startsWith(whiteout.path() + "/"));
            default -> files.put(entry.path(), new byte[0]);
          }
        }
      }
    }
    return files;
  }

  private static String blobPath(String digest) {
    return "blobs/" + digest.replace(':', '/');
  }

  private static String text(byte[] bytes) {
    assertThat(bytes).as("file in the image").isNotNull();
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static String sha256(String value) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(value.getBytes(StandardCharsets.UTF_8)));
  }
}
