package io.slipway.cli;

import io.slipway.client.RegistryClient;
import io.slipway.client.layout.OciLayout;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Platform;
import io.slipway.oci.reference.Reference;
import io.slipway.store.blob.BlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code slipway pull REF --output ...}: pulls an image to disk. Main thread only. */
@Command(name = "pull", mixinStandardHelpOptions = true,
    description = "Pull an image into an OCI layout directory or an OCI archive.")
final class PullCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin RegistryOptions options;

  @Option(names = {"-o", "--output"}, required = true,
      paramLabel = "oci-layout:DIR[:NAME]|tar:FILE[:NAME]", description = "Where to write the image.")
  String output;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Pull only this platform's manifest of an index.")
  String platform;

  @Parameters(index = "0", paramLabel = "REF") String image;

  @Override
  public Integer call() throws Exception {
    ImageLocation location = ImageLocation.parse(spec.commandLine(), output);
    Reference reference = RegistryOptions.reference(image);
    TransferProgress progress = TransferProgress.forStderr();
    try (RegistryClient client = options.client(); BlobStore store = options.store()) {
      Descriptor root = client.pull(RegistryOptions.repository(reference), reference.identifier(),
          store, platform == null ? null : Platform.parse(platform), progress);
      progress.close();
      String name = reference.tag().map(t -> t.value()).orElse(root.digest().encoded());
      switch (location) {
        case ImageLocation.Layout layout -> OciLayout.write(store, root,
            layout.name() == null ? name : layout.name(), layout.dir(), 4L << 20);
        case ImageLocation.Tar tar -> {
          Path staging = Files.createTempDirectory(
              tar.file().toAbsolutePath().getParent(), ".slipway-pull-");
          try {
            OciLayout.write(store, root, tar.name() == null ? name : tar.name(), staging, 4L << 20);
            LayoutArchive.write(staging, tar.file());
          } finally {
            LayoutArchive.delete(staging);
          }
        }
      }
      System.out.println(root.digest());
    }
    return 0;
  }
}
