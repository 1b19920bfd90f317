package io.slipway.client.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How {@code docker-credential-*} programs are started for one caller: where they are looked for,
 * the environment and working directory they run with, and how long one run may take. These come
 * from the process that asked for the command, not from this one: a build server runs a client's
 * push, and an ECR or GCR helper must read the client's {@code AWS_PROFILE} or {@code
 * CLOUDSDK_CONFIG}, not the server's. Immutable.
 *
 * @param searchPath directories to look for the program in, in order (the caller's {@code PATH});
 *     a relative one is found from {@code workingDirectory}, as a shell would
 * @param environment the program's whole environment; this process's is not inherited
 * @param workingDirectory the directory the program runs in, absolute
 * @param timeout how long one run may take
 */
public record HelperLaunch(List<Path> searchPath, Map<String, String> environment,
    Path workingDirectory, Duration timeout) {

  public HelperLaunch {
    searchPath = List.copyOf(searchPath);
    environment = Map.copyOf(environment);
    Objects.requireNonNull(timeout, "timeout");
    if (!workingDirectory.isAbsolute()) {
      throw new IllegalArgumentException("working directory must be absolute: "
          + workingDirectory);
    }
  }
}
