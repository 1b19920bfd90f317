package io.slipway.registry.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.oci.Digest;
import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import io.slipway.registry.meta.SqlRegistryMetadata;
import io.slipway.store.blob.FileBlobStore;
import io.slipway.store.fsck.Finding;
import io.slipway.store.fsck.Fsck;
import io.slipway.store.fsck.FsckReport;
import io.slipway.store.sql.SqliteDatabase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsckTest {
  @TempDir Path root;

  private final Pusher.Image image =
      Pusher.image("fsck", List.of(bytes("fsck layer one"), bytes("fsck layer two")));

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @BeforeEach
  void pushImage() throws Exception {
    try (RegistryServer server =
            RegistryServer.start(RegistryConfig.defaults(root).withAddress("127.0.0.1", 0));
        Pusher pusher = new Pusher(server.baseUri())) {
      pusher.push("app", "v1", image);
    }
  }

  private FsckReport fsck(boolean repair) throws Exception {
    try (FileBlobStore store = FileBlobStore.open(root);
        SqliteDatabase database =
            SqliteDatabase.open(root.resolve("meta.db"), List.of(SqlRegistryMetadata.MIGRATIONS))) {
      return new Fsck(store, database, List.of(new RegistryContentIndex(store)))
          .run(Fsck.Options.checkOnly().withRepair(repair), progress -> {});
    }
  }

  private Path blobPath(byte[] content) throws Exception {
    try (FileBlobStore store = FileBlobStore.open(root)) {
      return store.blobPath(Digest.sha256(content));
    }
  }

  @Test
  void doesReportCleanWhenRootIsConsistent() throws Exception {
    FsckReport report = fsck(false);

    assertThat(report.findings()).isEmpty();
    assertThat(report.blobsChecked()).isEqualTo(4);
    assertThat(report.exitCode()).isEqualTo(FsckReport.CLEAN);
  }

  @Test
  void doesDeleteOrphanWhenRepairing() throws Exception {
    byte[] orphan = bytes("nobody links me");
    try (FileBlobStore store = FileBlobStore.open(root)) {
      store.put(new java.io.ByteArrayInputStream(orphan), Digest.sha256(orphan), orphan.length);
    }

    FsckReport check = fsck(false);
    FsckReport repair = fsck(true);

    assertThat(check.findings())
        .containsExactly(new Finding.OrphanBlob(Digest.sha256(orphan), orphan.length, false));
    assertThat(check.exitCode()).isEqualTo(FsckReport.PROBLEMS_LEFT);
    assertThat(repair.exitCode()).isEqualTo(FsckReport.REPAIRED);
    assertThat(blobPath(orphan)).doesNotExist();
    assertThat(fsck(false).exitCode()).isEqualTo(FsckReport.CLEAN);
  }

  @Test
  void doesReportManifestAndDropLinkWhenLayerIsCorrupt() throws Exception {
    Path layer = blobPath(bytes("fsck layer one"));
    Files.write(layer, bytes("bit rot"));

    FsckReport report = fsck(true);

    assertThat(report.findings())
        .anySatisfy(f -> assertThat(f).isInstanceOf(Finding.CorruptBlob.class)
            .extracting(Finding::repaired).isEqualTo(true))
        .anySatisfy(f -> assertThat(f.describe())
            .contains("link app@" + Digest.sha256(bytes("fsck layer one"))).contains("removed"))
        .anySatisfy(f -> assertThat(f.describe())
            .contains("manifest app@" + image.digest())
            .contains("needs blob " + Digest.sha256(bytes("fsck layer one")))
            .contains("left for a human"));
    assertThat(report.exitCode()).isEqualTo(FsckReport.PROBLEMS_LEFT);
    assertThat(layer).doesNotExist();
  }

  @Test
  void doesKeepAGoodCopyRenamedOverACorruptBlobAfterItWasHashed() throws Exception {
    byte[] content = bytes("fsck layer one");
    Path layer = blobPath(content);
    Files.write(layer, bytes("bit rot"));

    FsckReport report;
    try (FileBlobStore store = FileBlobStore.open(root);
        SqliteDatabase database =
            SqliteDatabase.open(root.resolve("meta.db"), List.of(SqlRegistryMetadata.MIGRATIONS))) {
      AtomicBoolean republished = new AtomicBoolean();
      // Once every blob is hashed and before repair: a push of the same layer renames a
      // verified copy into place, as a registry or builder sharing the root would.
      report = new Fsck(store, database, List.of(new RegistryContentIndex(store)))
          .run(Fsck.Options.checkOnly().withRepair(true), progress -> {
            if (progress.blobsDone() == progress.blobsTotal() && !republished.getAndSet(true)) {
              try {
                store.put(new ByteArrayInputStream(content), Digest.sha256(content),
                    content.length);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
          });
    }

    assertThat(report.findings())
        .singleElement()
        .isEqualTo(new Finding.CorruptBlob(Digest.sha256(content), layer, "content hashes to "
            + Digest.sha256(bytes("bit rot")), false));
    assertThat(layer).hasBinaryContent(content);
    assertThat(fsck(false).exitCode()).isEqualTo(FsckReport.CLEAN);
  }

  @Test
  void doesHealManifestWhenMissingLayerIsPushedAgain() throws Exception {
    Files.delete(blobPath(bytes("fsck layer two")));
    assertThat(fsck(true).exitCode()).isEqualTo(FsckReport.PROBLEMS_LEFT);

    try (RegistryServer server =
            RegistryServer.start(RegistryConfig.defaults(root).withAddress("127.0.0.1", 0));
        Pusher pusher = new Pusher(server.baseUri())) {
      pusher.push("app", "v1", image);
      assertThat(pusher.pullProblems("app", "v1", image)).isEmpty();
    }
    assertThat(fsck(false).exitCode()).isEqualTo(FsckReport.CLEAN);
  }

  @Test
  void doesForgetUploadWhoseDataIsGoneWhenRepairing() throws Exception {
    String location;
    try (RegistryServer server =
            RegistryServer.start(RegistryConfig.defaults(root).withAddress("127.0.0.1", 0));
        Pusher pusher = new Pusher(server.baseUri())) {
      location = pusher.send("POST", "/v2/app/blobs/uploads/", null)
          .headers().firstValue("Location").orElseThrow();
    }
    String id = location.substring(location.lastIndexOf('/') + 1);
    try (var files = Files.list(root.resolve("ingest").resolve("uploads"))) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }

    FsckReport report = fsck(true);

    assertThat(report.findings())
        .singleElement()
        .satisfies(f -> assertThat(f.describe()).contains("upload " + id).contains("removed"));
    assertThat(report.exitCode()).isEqualTo(FsckReport.REPAIRED);
  }
}
