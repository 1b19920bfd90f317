package io.slipway.cli;

import io.slipway.client.ClientSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How far to trust registries: which may be spoken to in plain HTTP, and which extra CA
 * certificates vouch for HTTPS ones. Shared by every command that reaches a registry, the registry
 * commands through {@link RegistryOptions} and {@code build} directly. Confined to the main thread.
 */
public final class RegistryTrustOptions {
  @Option(names = "--insecure", paramLabel = "REGISTRY",
      description = "Allow plain HTTP for this registry (repeatable); localhost and 127.0.0.1 are"
          + " allowed it too. HTTPS is still used when the registry speaks it.")
  List<String> insecure = new ArrayList<>();

  @Option(names = "--ca-file", paramLabel = "PEM",
      description = "Also trust the CA certificates in this PEM file for HTTPS registries.")
  Path caFile;

  /** {@code settings} with these choices applied, a relative CA file found from {@code workingDirectory}. */
  ClientSettings applyTo(ClientSettings settings, Path workingDirectory) {
    return settings.withInsecure(new HashSet<>(insecure))
        .withCaFile(caFile == null ? null : workingDirectory.resolve(caFile));
  }
}
