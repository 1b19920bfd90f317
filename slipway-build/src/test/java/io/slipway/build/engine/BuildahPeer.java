package io.slipway.build.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.oci.ImageConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code buildah} as the reference builder of the differential tests, with its own storage under
 * a test directory (vfs driver, so no overlay mounts of its own are left behind). Builds use
 * {@code --isolation chroot} and no identity label, so the image holds only what the Dockerfile
 * made. (Not {@code --layers}: with it, buildah 1.28 skips the directory of a WORKDIR no RUN
 * follows, which the reference builder creates.) Confined to one test; {@link #close} removes its
 * containers and images.
 */
final class BuildahPeer implements AutoCloseable {

  /**
   * Paths buildah's chroot isolation leaves in the image as mount points for RUN when the base
   * lacks them (empty files or directories). The reference builder removes such stubs, as
   * Slipway does; the comparison ignores them only where buildah has them empty and Slipway has
   * nothing.
   */
  static final List<String> RUN_MOUNT_POINTS =
      List.of("dev", "proc", "sys", "run", "etc/hosts", "etc/hostname", "etc/resolv.conf");

  /** A built image: its root file system (mounted) and its config. */
  record Image(Path rootfs, ImageConfig config) {}

  private final List<String> command;
  private final List<String> containers = new ArrayList<>();

  BuildahPeer(Path storage) {
    this.command = List.of("buildah", "--root", storage.resolve("root").toString(), "--runroot",
        storage.resolve("run").toString(), "--storage-driver", "vfs");
  }

  /** Builds {@code context} (its {@code Dockerfile}) with {@code buildArgs} and mounts the result. */
  Image build(Path context, Map<String, String> buildArgs) throws IOException, InterruptedException {
    String tag = "localhost/slipway-diff-" + System.nanoTime();
    List<String> bud = new ArrayList<>(List.of("bud", "--isolation", "chroot", "-q",
        "--identity-label=false", "-t", tag));
    buildArgs.forEach((name, value) -> bud.addAll(List.of("--build-arg", name + "=" + value)));
    bud.add(context.toString());
    run(bud);
    String container = run(List.of("from", "-q", tag)).strip();
    containers.add(container);
    Path rootfs = Path.of(run(List.of("mount", container)).strip());
    byte[] config = run(List.of("inspect", "--type", "image", "--format", "{{.Config}}", tag))
        .strip().getBytes(StandardCharsets.UTF_8);
    return new Image(rootfs, ImageConfig.parse(config));
  }

  private String run(List<String> arguments) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(command);
    full.addAll(arguments);
    Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("%s finished", full).isTrue();
    assertThat(process.exitValue()).as("%s: %s", full, output).isZero();
    return output;
  }

  @Override
  public void close() throws IOException {
    try {
      for (String container : containers) {
        run(List.of("rm", container));
      }
      run(List.of("rmi", "-a", "-f"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while removing buildah's containers", e);
    }
  }
}
