package io.slipway.cli;

import io.slipway.client.RegistryClient;
import io.slipway.oci.reference.Reference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code slipway digest REF}: prints the digest a reference resolves to. Main thread only. */
@Command(name = "digest", mixinStandardHelpOptions = true,
    description = "Print the digest of the manifest a reference points at.")
final class DigestCommand implements Callable<Integer> {
  @Mixin RegistryOptions options;

  @Parameters(index = "0", paramLabel = "REF") String image;

  @Override
  public Integer call() throws Exception {
    Reference reference = RegistryOptions.reference(image);
    try (RegistryClient client = options.client()) {
      System.out.println(client.resolve(RegistryOptions.repository(reference),
          reference.identifier()).digest());
    }
    return 0;
  }
}
