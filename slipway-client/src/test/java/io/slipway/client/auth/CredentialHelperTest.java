package io.slipway.client.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialHelperTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** Enough of a PATH for the fake helpers' {@code sh}; nothing of this process's environment. */
  private static final String SYSTEM_PATH = "/usr/bin:/bin";

  @TempDir Path dir;

  /** A {@code docker-credential-x} printing the shell words {@code username} and {@code secret}. */
  private Path helperPrinting(Path bin, String username, String secret) throws Exception {
    return DockerCredentialsTest.helper(bin, "x",
        "read url; printf '{\"ServerURL\":\"%s\",\"Username\":\"%s\",\"Secret\":\"%s\"}' \"$url\" "
            + username + " " + secret);
  }

  @Test
  void doesGiveHelperInvocationEnvironmentInsteadOfProcessEnvironment() throws Exception {
    Path bin = dir.resolve("bin");
    helperPrinting(bin, "\"${HOME:-no-home}\"", "\"$AWS_PROFILE\"");
    // This process has a HOME (surefire runs with one); the helper must not see it.
    assertThat(System.getenv("HOME")).isNotNull();
    assertThat(System.getenv("AWS_PROFILE")).isNotEqualTo("client-account");
    HelperLaunch launch = new HelperLaunch(List.of(bin),
        Map.of("PATH", SYSTEM_PATH, "AWS_PROFILE", "client-account"), dir, TIMEOUT);

    assertThat(new CredentialHelper("x", launch).get("https://reg.example"))
        .contains(new Credential.UsernamePassword("no-home", "client-account"));
  }

  @Test
  void doesRunHelperInInvocationWorkingDirectory() throws Exception {
    Path bin = dir.resolve("bin");
    helperPrinting(bin, "user", "\"$(pwd -P)\"");
    Path work = Files.createDirectories(dir.resolve("client-work"));
    HelperLaunch launch =
        new HelperLaunch(List.of(bin), Map.of("PATH", SYSTEM_PATH), work, TIMEOUT);

    assertThat(new CredentialHelper("x", launch).get("https://reg.example"))
        .contains(new Credential.UsernamePassword("user", work.toRealPath().toString()));
  }

  @Test
  void doesFindHelperInRelativeSearchPathFromInvocationWorkingDirectory() throws Exception {
    Path work = Files.createDirectories(dir.resolve("client-work"));
    helperPrinting(work.resolve("tools"), "user", "found");
    // This process's working directory (the module) has no tools/; the caller's has.
    assertThat(Path.of("tools", "docker-credential-x")).doesNotExist();
    HelperLaunch launch = new HelperLaunch(List.of(Path.of("/nonexistent"), Path.of("tools")),
        Map.of("PATH", SYSTEM_PATH), work, TIMEOUT);

    assertThat(new CredentialHelper("x", launch).get("https://reg.example"))
        .contains(new Credential.UsernamePassword("user", "found"));
  }

  @Test
  void doesNameSearchPathWhenHelperIsInNoneOfItsDirectories() throws Exception {
    helperPrinting(dir.resolve("elsewhere"), "user", "unreachable");
    HelperLaunch launch = new HelperLaunch(List.of(dir.resolve("bin")),
        Map.of("PATH", dir.resolve("elsewhere").toString()), dir, TIMEOUT);

    assertThatThrownBy(() -> new CredentialHelper("x", launch).get("https://reg.example"))
        .isInstanceOf(CredentialHelperException.class)
        .hasMessageContaining("docker-credential-x")
        .hasMessageContaining("not found in [" + dir.resolve("bin") + "]");
  }
}
