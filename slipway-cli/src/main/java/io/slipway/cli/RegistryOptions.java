package io.slipway.cli;

import io.slipway.client.ClientSettings;
import io.slipway.client.RegistryClient;
import io.slipway.client.Repository;
import io.slipway.client.auth.HelperLaunch;
import io.slipway.client.auth.RegistryAuth;
import io.slipway.oci.reference.Reference;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.blob.FileBlobStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Options every registry command shares: trust ({@link RegistryTrustOptions}), the data root whose
 * blob store caches pulled content, and the concurrency of transfers. Confined to the main thread.
 */
public final class RegistryOptions {
  @Mixin RegistryTrustOptions trust;

  @Option(names = "--root", paramLabel = "DIR",
      description = "Slipway's data root; its blob store caches transfers "
          + "(default: $XDG_DATA_HOME/slipway).")
  Path root;

  @Option(names = "--jobs", paramLabel = "N", defaultValue = "6",
      description = "Blobs transferred at once (default: ${DEFAULT-VALUE}).")
  int jobs;

  @Option(names = "--config", paramLabel = "DIR",
      description = "Docker's configuration directory (default: $DOCKER_CONFIG or ~/.docker).")
  Path dockerConfig;

  /** Made at first use, not when picocli builds every command's options at start. */
  private Invocation invocation;

  /** Registry commands always run in the process that was asked for them. */
  private Invocation invocation() {
    if (invocation == null) {
      invocation = Invocation.local();
    }
    return invocation;
  }

  /** The environment with command-line overrides applied. */
  CliEnvironment environmentWithOverrides() {
    CliEnvironment current = invocation().environment();
    if (dockerConfig == null) {
      return current;
    }
    Map<String, String> variables = new HashMap<>(current.variables());
    variables.put("DOCKER_CONFIG", dockerConfig.toString());
    return new CliEnvironment(variables);
  }

  /** How credential helpers run for this command: its environment, in its directory. */
  HelperLaunch helperLaunch() {
    return environmentWithOverrides().helperLaunch(invocation().workingDirectory());
  }

  ClientSettings settings() {
    return trust.applyTo(ClientSettings.defaults(), invocation().workingDirectory())
        .withConcurrency(Math.max(1, jobs));
  }

  RegistryClient client() throws IOException {
    ClientSettings settings = settings();
    return RegistryClient.create(settings,
        environmentWithOverrides().credentials(invocation().workingDirectory()),
        RegistryAuth.Settings.defaults());
  }

  BlobStore store() throws IOException {
    Path dataRoot = root == null ? environmentWithOverrides().dataRoot() : root;
    return FileBlobStore.open(dataRoot.resolve("store"));
  }

  static Reference reference(String text) {
    return Reference.parse(text);
  }

  static Repository repository(Reference reference) {
    return Repository.of(reference);
  }
}
