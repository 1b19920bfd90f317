package io.slipway.cli;

import io.slipway.client.auth.DockerCredentials;
import io.slipway.client.auth.HelperLaunch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the command line finds configuration, from the environment as docker and podman read
 * it: {@code $DOCKER_CONFIG/config.json} (default {@code ~/.docker}), {@code
 * $XDG_RUNTIME_DIR/containers/auth.json}, {@code $PATH} for credential helpers, and Slipway's data
 * root ({@code $XDG_DATA_HOME/slipway}, default {@code ~/.local/share/slipway}). Immutable.
 */
public record CliEnvironment(Map<String, String> variables) {
  /** How long a credential helper may take. */
  public static final Duration HELPER_TIMEOUT = Duration.ofSeconds(15);

  public CliEnvironment {
    variables = Map.copyOf(variables);
  }

  /** The process environment. */
  public static CliEnvironment current() {
    return new CliEnvironment(System.getenv());
  }

  private Path home() {
    return Path.of(variables.getOrDefault("HOME", System.getProperty("user.home")));
  }

  public Path dockerConfigFile() {
    String dir = variables.get("DOCKER_CONFIG");
    return (dir == null || dir.isEmpty() ? home().resolve(".docker") : Path.of(dir))
        .resolve("config.json");
  }

  /** containers' auth.json, or null when {@code $XDG_RUNTIME_DIR} is not set. */
  public Path containersAuthFile() {
    String runtime = variables.get("XDG_RUNTIME_DIR");
    return runtime == null || runtime.isEmpty()
        ? null
        : Path.of(runtime, "containers", "auth.json");
  }

  public List<Path> searchPath() {
    List<Path> dirs = new ArrayList<>();
    for (String dir : variables.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin").split(":")) {
      if (!dir.isEmpty()) {
        dirs.add(Path.of(dir));
      }
    }
    return dirs;
  }

  public Path dataRoot() {
    String data = variables.get("XDG_DATA_HOME");
    return (data == null || data.isEmpty() ? home().resolve(".local/share") : Path.of(data))
        .resolve("slipway");
  }

  /**
   * The builder's state root: {@code option} (a {@code --root} given, already resolved against
   * the caller's directory) or else {@link #dataRoot()}; absolute and normalized, so that two
   * spellings of one directory compare equal.
   */
  public Path builderRoot(Path option) {
    return (option != null ? option : dataRoot()).toAbsolutePath().normalize();
  }

  /**
   * How credential helpers run for a caller with these variables in {@code workingDirectory}:
   * found on this {@code $PATH}, started with these variables as their whole environment, there.
   */
  public HelperLaunch helperLaunch(Path workingDirectory) {
    return new HelperLaunch(searchPath(), variables, workingDirectory, HELPER_TIMEOUT);
  }

  /**
   * The credentials a caller with these variables in {@code workingDirectory} has: a relative
   * {@code $DOCKER_CONFIG} is found from there, as docker would, and helpers run there.
   */
  public DockerCredentials credentials(Path workingDirectory) {
    Path containersAuth = containersAuthFile();
    return new DockerCredentials(workingDirectory.resolve(dockerConfigFile()),
        containersAuth == null ? null : workingDirectory.resolve(containersAuth),
        helperLaunch(workingDirectory));
  }
}
