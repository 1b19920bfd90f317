package io.slipway.cli;

import io.slipway.client.RegistryClient;
import io.slipway.client.layout.OciLayout;
import io.slipway.oci.Descriptor;
import io.slipway.oci.reference.Reference;
import io.slipway.store.blob.BlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code slipway push oci-layout:DIR REF}: pushes an image from disk. Main thread only. */
@Command(name = "push", mixinStandardHelpOptions = true,
    description = "Push an image from an OCI layout directory or archive to a registry.")
final class PushCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin RegistryOptions options;

  @Parameters(index = "0", paramLabel = "oci-layout:DIR[:NAME]|tar:FILE[:NAME]") String input;

  @Parameters(index = "1", paramLabel = "REF") String image;

  @Override
  public Integer call() throws Exception {
    ImageLocation location = ImageLocation.parse(spec.commandLine(), input);
    Reference reference = RegistryOptions.reference(image);
    TransferProgress progress = TransferProgress.forStderr();
    try (RegistryClient client = options.client(); BlobStore store = options.store()) {
      Descriptor root = switch (location) {
        case ImageLocation.Layout layout -> OciLayout.read(layout.dir(), layout.name(), store);
        case ImageLocation.Tar tar -> {
          Path staging = Files.createTempDirectory(".slipway-push-");
          try {
            LayoutArchive.extract(tar.file(), staging);
            yield OciLayout.read(staging, tar.name(), store);
          } finally {
            LayoutArchive.delete(staging);
          }
        }
      };
      client.push(store, root, RegistryOptions.repository(reference),
          reference.tag().map(t -> List.of(t.value())).orElse(List.of()), null, progress);
      progress.close();
      System.out.println(root.digest());
    }
    return 0;
  }
}
