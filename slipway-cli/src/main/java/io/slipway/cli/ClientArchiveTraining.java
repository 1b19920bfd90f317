package io.slipway.cli;

import io.slipway.client.layout.OciLayout;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.oci.ImageManifest;
import io.slipway.oci.ManifestBytes;
import io.slipway.oci.MediaTypes;
import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import io.slipway.store.blob.FileBlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The workload the launcher ({@code ./slipway}) runs once per jar to make the class archive of the
 * registry-client commands ({@code copy}, {@code pull}, {@code push}, {@code inspect}, {@code
 * tags}, {@code digest}): started as {@code java -jar slipway.jar --train-client-archive}, a hidden
 * argument {@link Main} handles before picocli sees it.
 *
 * <p>Why: those commands started from the archive trained by {@code --version}, which holds
 * picocli and little else, so a copy loaded, verified and interpreted the JDK's HTTP client,
 * Jackson and the client cold, and compiled its hot paths without profiles; a 200-layer
 * copy spent more CPU than skopeo's whole run on that. This pushes a small many-layer image from
 * an OCI layout made on the spot to a Slipway registry started in this JVM on loopback, copies it
 * to a second one (streamed, then again when the target has every blob) and within the first (a
 * cross-repository mount), pulls, inspects and lists it. It needs no network beyond loopback and
 * no external program, works in a temporary directory it deletes, and fails (non-zero exit, so
 * the launcher keeps no archive) when any command does. Not thread-safe; run once.
 */
final class ClientArchiveTraining {
  /** The hidden argument that selects this workload instead of the command line. */
  static final String ARGUMENT = "--train-client-archive";

  /**
   * Enough blobs that the per-blob path (existence check, upload session, relay, digest check)
   * runs often enough to be profiled; small, so the training takes seconds.
   */
  private static final int LAYERS = 48;
  private static final int LAYER_SIZE = 64 * 1024;

  private ClientArchiveTraining() {}

  /** Runs the workload; returns 0 when every command succeeded, otherwise the first failure's. */
  static int run() throws IOException {
    return ClassArchiveTraining.quietly(ClientArchiveTraining::train);
  }

  private static int train(Path work) throws IOException {
    Path layout = work.resolve("layout");
    writeImage(work.resolve("seed"), layout);
    try (RegistryServer source = start(work.resolve("source"));
        RegistryServer target = start(work.resolve("target"))) {
      String from = source.baseUri().getAuthority() + "/training/app";
      String to = target.baseUri().getAuthority() + "/training/app";
      List<List<String>> commands = List.of(
          List.of("push", "--root", work.resolve("push-root").toString(),
              "oci-layout:" + layout + ":1", from + ":1"),
          // A fresh root each time, so blobs stream from registry to registry as in a real copy.
          List.of("copy", "--root", work.resolve("copy-root").toString(), from + ":1", to + ":1"),
          // The target now holds every blob: the existence-check path.
          List.of("copy", "--root", work.resolve("copy-root-2").toString(), from + ":1", to + ":2"),
          // The same registry: a cross-repository mount.
          List.of("copy", "--root", work.resolve("copy-root-3").toString(), from + ":1",
              source.baseUri().getAuthority() + "/training/mirror:1"),
          List.of("pull", "--root", work.resolve("pull-root").toString(),
              "-o", "oci-layout:" + work.resolve("pulled") + ":1", to + ":1"),
          List.of("inspect", to + ":1"),
          List.of("tags", to),
          List.of("digest", to + ":1"));
      for (List<String> command : commands) {
        int status = ClassArchiveTraining.slipway(command.toArray(String[]::new));
        if (status != 0) {
          return status;
        }
      }
      return 0;
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("training registry: " + e.getMessage(), e);
    }
  }

  private static RegistryServer start(Path root) throws Exception {
    return RegistryServer.start(RegistryConfig.defaults(root).withAddress("127.0.0.1", 0));
  }

  /** An image of {@link #LAYERS} pseudo-random layers, as an OCI layout at {@code layout}. */
  private static void writeImage(Path storeRoot, Path layout) throws IOException {
    Random random = new Random(LAYERS);
    try (FileBlobStore store = FileBlobStore.open(storeRoot)) {
      byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\","
          + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8);
      put(store, config);
      List<Descriptor> layers = new ArrayList<>();
      for (int i = 0; i < LAYERS; i++) {
        byte[] layer = new byte[LAYER_SIZE];
        random.nextBytes(layer);
        put(store, layer);
        layers.add(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, layer));
      }
      ManifestBytes manifest = ManifestBytes.serialize(
          ImageManifest.of(Descriptor.of(MediaTypes.OCI_CONFIG, config), layers));
      put(store, manifest.bytes());
      OciLayout.write(store, manifest.descriptor(), "1", layout,
          RegistryConfig.DEFAULT_MAX_MANIFEST_BYTES);
    }
  }

  private static void put(FileBlobStore store, byte[] blob) throws IOException {
    store.put(new ByteArrayInputStream(blob), Digest.sha256(blob), blob.length);
  }
}
