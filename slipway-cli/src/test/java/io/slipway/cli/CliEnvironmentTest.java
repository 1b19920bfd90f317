package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
