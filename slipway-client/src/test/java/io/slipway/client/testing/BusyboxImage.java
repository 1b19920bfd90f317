package io.slipway.client.testing;

import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.oci.ImageManifest;
import io.slipway.oci.ManifestBytes;
import io.slipway.oci.MediaTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real, runnable busybox image made locally from Debian's {@code busybox-static}: one gzip
 * layer holding {@code /bin/busybox} and {@code /bin/sh}, an OCI config with the right diff id.
 * Built with {@code tar} and {@code gzip -n}, so it is the same bytes on every run. Stateless.
 */
public final class BusyboxImage {
  private BusyboxImage() {}

  public static TestContent.Image build(Path work, String architecture) throws IOException,
      InterruptedException {
    Path rootfs = Files.createDirectories(work.resolve("rootfs/bin"));
    Files.copy(Path.of("/bin/busybox"), rootfs.resolve("busybox"));
    Files.createSymbolicLink(rootfs.resolve("sh"), Path.of("busybox"));
    Path tar = work.resolve("layer.tar");
    run(work, "tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner",
        "-C", work.resolve("rootfs").toString(), "-cf", tar.toString(), "bin");
    byte[] uncompressed = Files.readAllBytes(tar);
    run(work, "gzip", "-n", "-9", tar.toString());
    byte[] layer = Files.readAllBytes(work.resolve("layer.tar.gz"));
    byte[] config = ("{\"architecture\":\"" + architecture + "\",\"os\":\"linux\","
        + "\"config\":{\"Cmd\":[\"/bin/sh\"]},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digest.sha256(uncompressed)
        + "\"]}}").getBytes(StandardCharsets.UTF_8);
    ManifestBytes manifest = ManifestBytes.serialize(ImageManifest.of(
        Descriptor.of(MediaTypes.OCI_CONFIG, config),
        List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, layer))));
    return new TestContent.Image(manifest, List.of(config, layer));
  }

  /** Runs a program in {@code dir}, failing with its output when it fails or takes over 60 s. */
  public static String run(Path dir, String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish in 60 s");
    }
    String text = new String(output, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " exited with " + process.exitValue()
          + ": " + text);
    }
    return text;
  }
}
