package io.slipway.cli;

import io.slipway.client.RegistryClient;
import io.slipway.oci.reference.Reference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code slipway tags REPO}: lists a repository's tags, one per line. Main thread only. */
@Command(name = "tags", mixinStandardHelpOptions = true, description = "List a repository's tags.")
final class TagsCommand implements Callable<Integer> {
  @Mixin RegistryOptions options;

  @Parameters(index = "0", paramLabel = "REPO") String repository;

  @Override
  public Integer call() throws Exception {
    Reference reference = RegistryOptions.reference(repository);
    try (RegistryClient client = options.client()) {
      for (String tag : client.tags(RegistryOptions.repository(reference))) {
        System.out.println(tag);
      }
    }
    return 0;
  }
}
