package io.slipway.cli;

import io.slipway.client.RegistryClient;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Platform;
import io.slipway.oci.reference.Reference;
import io.slipway.store.blob.BlobStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code slipway copy SRC DST}: copies an image or index between registries. Main thread only. */
@Command(name = "copy", mixinStandardHelpOptions = true,
    description = "Copy an image or index (all platforms unless --platform) between registries.")
final class CopyCommand implements Callable<Integer> {
  @Mixin RegistryOptions options;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Copy only this platform's manifest of an index.")
  String platform;

  @Parameters(index = "0", paramLabel = "SRC") String source;

  @Parameters(index = "1", paramLabel = "DST") String target;

  @Override
  public Integer call() throws Exception {
    Reference from = RegistryOptions.reference(source);
    Reference to = RegistryOptions.reference(target);
    TransferProgress progress = TransferProgress.forStderr();
    try (RegistryClient client = options.client(); BlobStore store = options.store()) {
      Descriptor copied = client.copy(RegistryOptions.repository(from), from.identifier(),
          RegistryOptions.repository(to), to.tag().map(t -> List.of(t.value())).orElse(List.of()),
          store, platform == null ? null : Platform.parse(platform), progress);
      progress.close();
      System.out.println(copied.digest());
    }
    return 0;
  }
}
