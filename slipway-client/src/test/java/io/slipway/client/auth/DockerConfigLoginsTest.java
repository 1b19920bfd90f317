package io.slipway.client.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigLoginsTest {
  @TempDir Path dir;

  @Test
  void doesWriteBase64AuthAndKeepOtherFieldsWhenNoHelperIsConfigured() throws Exception {
    Path config = dir.resolve("docker/config.json");
    Files.createDirectories(config.getParent());
    Files.writeString(config, "{\"auths\":{\"index.docker.io\":{\"auth\":\"b2xkOm9sZA==\"}},"
        + "\"psFormat\":\"table\"}");
    DockerConfigLogins logins = new DockerConfigLogins(config,
        DockerCredentialsTest.launch(List.of(), Duration.ofSeconds(5)));
    assertThat(logins.store("docker.io", "alice", "s3cret")).isEqualTo(config.toString());
    String written = Files.readString(config);
    assertThat(written).contains("\"psFormat\" : \"table\"")
        .contains("https://index.docker.io/v1/").doesNotContain("b2xkOm9sZA==");
    assertThat(new DockerCredentials(config, null,
        DockerCredentialsTest.launch(List.of(), Duration.ofSeconds(5)))
        .lookup("registry-1.docker.io"))
        .isEqualTo(new Credential.UsernamePassword("alice", "s3cret"));

    assertThat(logins.remove("index.docker.io")).isTrue();
    assertThat(Files.readString(config)).doesNotContain("index.docker.io").contains("psFormat");
  }

  @Test
  void doesStoreThroughHelperWhenConfigNamesOne() throws Exception {
    Path bin = dir.resolve("bin");
    Path record = dir.resolve("stored.json");
    DockerCredentialsTest.helper(bin, "rec", "cat > " + record);
    Path config = dir.resolve("config.json");
    Files.writeString(config, "{\"credsStore\":\"rec\"}");
    DockerConfigLogins logins = new DockerConfigLogins(config,
        DockerCredentialsTest.launch(List.of(bin), Duration.ofSeconds(5)));
    assertThat(logins.store("reg.example:5000", "bob", "pw")).isEqualTo("docker-credential-rec");
    assertThat(Files.readString(record))
        .isEqualTo("{\"ServerURL\":\"reg.example:5000\",\"Username\":\"bob\",\"Secret\":\"pw\"}");
    assertThat(Files.readString(config)).contains("reg.example:5000").doesNotContain("pw");
  }
}
