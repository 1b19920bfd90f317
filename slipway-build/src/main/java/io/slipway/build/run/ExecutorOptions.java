package io.slipway.build.run;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link RuncExecutor} is set up: its state directory under the builder root (bundles,
 * runc state, cache mounts live there), how root file systems are made, which {@code runc} to use
 * (found on {@code PATH} and in the sbin directories when absent), the host name RUN processes see
 * and the resolver configuration they get a copy of. Immutable.
 */
public record ExecutorOptions(
    Path stateDirectory,
    RootfsMode rootfsMode,
    Optional<Path> runc,
    String hostname,
    Path resolvConf) {

  /** The host name the reference builder gives RUN processes. */
  public static final String DEFAULT_HOSTNAME = "buildkitsandbox";

  public ExecutorOptions {
    Objects.requireNonNull(stateDirectory, "stateDirectory");
    Objects.requireNonNull(rootfsMode, "rootfsMode");
    Objects.requireNonNull(runc, "runc");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(resolvConf, "resolvConf");
  }

  /** Defaults for a state directory: detected mode, runc found on the path, host resolver. */
  public static ExecutorOptions defaults(Path stateDirectory) {
    return new ExecutorOptions(
        stateDirectory, RootfsMode.detect(stateDirectory), Optional.empty(), DEFAULT_HOSTNAME,
        Path.of("/etc/resolv.conf"));
  }

  /** A copy with another root file system mode. */
  public ExecutorOptions withRootfsMode(RootfsMode mode) {
    return new ExecutorOptions(stateDirectory, mode, runc, hostname, resolvConf);
  }
}
