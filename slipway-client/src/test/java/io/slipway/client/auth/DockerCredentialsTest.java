package io.slipway.client.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerCredentialsTest {
  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  /** A fake helper printing {@code json} for any server URL, or sleeping when json is null. */
  static Path helper(Path bin, String name, String script) throws IOException {
    Files.createDirectories(bin);
    Path file = bin.resolve("docker-credential-" + name);
    Files.writeString(file, "#!/bin/sh\n" + script + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  /** Helpers found in {@code searchPath}, run with this process's environment and directory. */
  static HelperLaunch launch(List<Path> searchPath, Duration timeout) {
    return new HelperLaunch(searchPath, System.getenv(), Path.of("").toAbsolutePath(), timeout);
  }

  private DockerCredentials credentials(Path config, Path authJson, Duration timeout) {
    return new DockerCredentials(config, authJson, launch(List.of(dir.resolve("bin")), timeout));
  }

  @Test
  void doesDecodeBase64AuthWhenEntryUsesDockerHubLegacyKey() throws Exception {
    Path config = write("config.json",
        "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"YWxpY2U6czNjcjN0OmNvbG9u\"}}}");
    Credential credential = credentials(config, null, Duration.ofSeconds(5)).lookup("index.docker.io");
    assertThat(credential).isEqualTo(new Credential.UsernamePassword("alice", "s3cr3t:colon"));
  }

  @Test
  void doesPreferCredHelperWhenBothHelperAndAuthsMatch() throws Exception {
    helper(dir.resolve("bin"), "fake",
        "read url; echo \"{\\\"ServerURL\\\":\\\"$url\\\",\\\"Username\\\":\\\"bob\\\",\\\"Secret\\\":\\\"fromhelper\\\"}\"");
    Path config = write("config.json", "{\"credHelpers\":{\"reg.example:5000\":\"fake\"},"
        + "\"credsStore\":\"missing\","
        + "\"auths\":{\"reg.example:5000\":{\"username\":\"alice\",\"password\":\"p\"}}}");
    assertThat(credentials(config, null, Duration.ofSeconds(5)).lookup("reg.example:5000"))
        .isEqualTo(new Credential.UsernamePassword("bob", "fromhelper"));
  }

  @Test
  void doesUseCredsStoreWhenNoCredHelperMatches() throws Exception {
    helper(dir.resolve("bin"), "store",
        "read url; echo \"{\\\"ServerURL\\\":\\\"$url\\\",\\\"Username\\\":\\\"<token>\\\",\\\"Secret\\\":\\\"idtok\\\"}\"");
    Path config = write("config.json", "{\"credsStore\":\"store\"}");
    assertThat(credentials(config, null, Duration.ofSeconds(5)).lookup("other.example"))
        .isEqualTo(new Credential.IdentityToken("<token>", "idtok"));
  }

  @Test
  void doesFallBackToAuthsWhenHelperHasNothing() throws Exception {
    helper(dir.resolve("bin"), "empty", "echo 'credentials not found in native keychain'; exit 1");
    Path config = write("config.json", "{\"credsStore\":\"empty\","
        + "\"auths\":{\"https://reg.example\":{\"identitytoken\":\"idt\",\"username\":\"u\"}}}");
    assertThat(credentials(config, null, Duration.ofSeconds(5)).lookup("reg.example"))
        .isEqualTo(new Credential.IdentityToken("u", "idt"));
  }

  @Test
  void doesReadContainersAuthWhenDockerConfigHasNoEntry() throws Exception {
    Path config = write("config.json", "{\"auths\":{}}");
    Path authJson = write("containers/auth.json",
        "{\"auths\":{\"quay.example/team\":{\"auth\":\"cTpw\"}}}");
    assertThat(credentials(config, authJson, Duration.ofSeconds(5)).lookup("quay.example"))
        .isEqualTo(new Credential.UsernamePassword("q", "p"));
    assertThat(credentials(config, authJson, Duration.ofSeconds(5)).lookup("elsewhere.example"))
        .isEqualTo(new Credential.Anonymous());
  }

  @Test
  void doesAnswerAnonymousWhenNoFileExists() throws Exception {
    assertThat(credentials(dir.resolve("none.json"), dir.resolve("none2.json"), Duration.ofSeconds(1))
        .lookup("docker.io")).isEqualTo(new Credential.Anonymous());
  }

  @Test
  void doesNameFileAndLineWhenConfigIsNotJson() throws Exception {
    Path config = write("config.json", "{\n\"auths\": {,}\n}");
    assertThatThrownBy(() -> credentials(config, null, Duration.ofSeconds(1)).lookup("x"))
        .isInstanceOf(CredentialConfigException.class)
        .hasMessageContaining(config.toString())
        .hasMessageContaining("line 2");
  }

  @Test
  void doesKillHelperAndNameItWhenItHangs() throws Exception {
    helper(dir.resolve("bin"), "hang", "sleep 60");
    Path config = write("config.json", "{\"credHelpers\":{\"slow.example\":\"hang\"}}");
    long start = System.nanoTime();
    assertThatThrownBy(() -> credentials(config, null, Duration.ofMillis(500)).lookup("slow.example"))
        .isInstanceOf(CredentialHelperException.class)
        .hasMessageContaining("docker-credential-hang")
        .hasMessageContaining("slow.example")
        .hasMessageContaining("did not finish within");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void doesNameHelperWhenItIsNotInstalled() throws Exception {
    Path config = write("config.json", "{\"credsStore\":\"nonexistent\"}");
    assertThatThrownBy(() -> credentials(config, null, Duration.ofSeconds(1)).lookup("x.example"))
        .isInstanceOf(CredentialHelperException.class)
        .hasMessageContaining("docker-credential-nonexistent")
        .hasMessageContaining("not found");
  }
}
