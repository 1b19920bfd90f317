package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.client.auth.Credential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliEnvironmentTest {

  @Test
  void doesUseDockerConfigWhenVariableIsSet() {
    CliEnvironment environment = new CliEnvironment(Map.of("HOME", "/home/u",
        "DOCKER_CONFIG", "/etc/docker-alt", "XDG_RUNTIME_DIR", "/run/user/1000"));
    assertThat(environment.dockerConfigFile()).isEqualTo(Path.of("/etc/docker-alt/config.json"));
    assertThat(environment.containersAuthFile())
        .isEqualTo(Path.of("/run/user/1000/containers/auth.json"));
  }

  @Test
  void doesFallBackToHomeWhenVariablesAreUnset() {
    CliEnvironment environment = new CliEnvironment(Map.of("HOME", "/home/u", "PATH", "/a::/b"));
    assertThat(environment.dockerConfigFile()).isEqualTo(Path.of("/home/u/.docker/config.json"));
    assertThat(environment.containersAuthFile()).isNull();
    assertThat(environment.dataRoot()).isEqualTo(Path.of("/home/u/.local/share/slipway"));
    assertThat(environment.searchPath()).containsExactly(Path.of("/a"), Path.of("/b"));
  }

  @Test
  void doesSpellBuilderRootOneWayWhetherGivenOrDefault() {
    CliEnvironment environment = new CliEnvironment(Map.of("HOME", "/home/u/../u"));
    assertThat(environment.builderRoot(null)).isEqualTo(Path.of("/home/u/.local/share/slipway"));
    assertThat(environment.builderRoot(Path.of("/srv/./builds/../state")))
        .isEqualTo(Path.of("/srv/state"));
  }

  @Test
  void doesRunHelperFromCallerPathWithCallerEnvironmentWhenCredentialsAreLookedUp(
      @TempDir Path dir) throws Exception {
    Path work = Files.createDirectories(dir.resolve("client-work"));
    Path bin = Files.createDirectories(dir.resolve("client-bin"));
    Path helper = bin.resolve("docker-credential-x");
    Files.writeString(helper, "#!/bin/sh\nread url\n"
        + "printf '{\"Username\":\"%s\",\"Secret\":\"%s\"}' \"$AWS_PROFILE\" \"$(pwd -P)\"\n");
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    // A relative DOCKER_CONFIG is the caller's, found from its working directory.
    Files.createDirectories(work.resolve("docker"));
    Files.writeString(work.resolve("docker/config.json"), "{\"credsStore\":\"x\"}");
    CliEnvironment caller = new CliEnvironment(Map.of("HOME", dir.toString(),
        "PATH", bin + ":/usr/bin:/bin", "DOCKER_CONFIG", "docker", "AWS_PROFILE", "client"));

    assertThat(caller.credentials(work).lookup("reg.example"))
        .isEqualTo(new Credential.UsernamePassword("client", work.toRealPath().toString()));
  }
}
