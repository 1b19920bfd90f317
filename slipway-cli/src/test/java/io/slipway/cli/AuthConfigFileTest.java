package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.registry.auth.AccessPolicy;
import io.slipway.registry.auth.Action;
import io.slipway.registry.auth.AuthConfig;
import io.slipway.registry.auth.BcryptPasswords;
import io.slipway.registry.auth.Principal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AuthConfigFileTest {
  @TempDir Path dir;

  private Optional<AuthConfig> read(String yaml) throws IOException {
    Path file = dir.resolve("registry.yaml");
    Files.writeString(file, yaml);
    return AuthConfigFile.read(file, dir.resolve("data"));
  }

  @Test
  void doesReadPolicyGroupsAndTokenSettingsWhenAuthSectionIsPresent() throws IOException {
    AuthConfig config = read("""
        auth:
          htpasswd:
            path: users/htpasswd
          token:
            service: registry.example
            expiration: 90s
          groups:
            devs: [alice]
          access:
            - groups: [devs]
              repository: "team/**"
              actions: [pull, push]
            - anonymous: true
              repository: "public/*"
              actions: [pull]
          ratelimit:
            failures: 3
            window: 30s
        """).orElseThrow();

    assertThat(config.htpasswd()).isEqualTo(dir.resolve("users/htpasswd"));
    assertThat(config.signingKey()).isEqualTo(dir.resolve("data/token-key.pem"));
    assertThat(config.settings().service()).isEqualTo("registry.example");
    assertThat(config.settings().issuer()).isEqualTo("registry.example");
    assertThat(config.settings().lifetime()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.maxFailedLogins()).isEqualTo(3);
    AccessPolicy policy = AccessPolicy.of(config.rules(), config.groups());
    Principal alice = policy.principal("alice");
    assertThat(policy.allowed(alice, "team/app/cache")).isEqualTo(EnumSet.of(Action.PULL, Action.PUSH));
    assertThat(policy.allowed(Principal.ANONYMOUS, "public/base")).containsExactly(Action.PULL);
    assertThat(policy.allowed(Principal.ANONYMOUS, "public/a/b")).isEmpty();
  }

  @Test
  void doesLeaveAuthOffWhenSectionIsAbsent() throws IOException {
    assertThat(read("http:\n  addr: :5000\n")).isEmpty();
  }

  @Test
  void doesNameRuleWhenActionIsUnknown() {
    assertThatThrownBy(() -> read("""
        auth:
          htpasswd: {path: htpasswd}
          access:
            - users: [alice]
              repository: "**"
              actions: [pull, write]
        """))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("auth.access[0]")
        .hasMessageContaining("unknown action \"write\"");
  }

  @Test
  void doesRejectLifetimeWhenBelowSixtySeconds() {
    assertThatThrownBy(() -> read("auth:\n  htpasswd: {path: h}\n  token: {expiration: 30s}\n"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("below the minimum of 60s");
  }

  @Test
  void doesWriteBcryptEntryWhenUserAddReadsPasswordFromStdin() throws Exception {
    Path htpasswd = dir.resolve("htpasswd");
    Path config = dir.resolve("registry.yaml");
    Files.writeString(config, "auth:\n  htpasswd:\n    path: htpasswd\n");
    InputStream stdin = System.in;
    StringWriter err = new StringWriter();
    int exit;
    try {
      System.setIn(new ByteArrayInputStream("s3cret pass\n".getBytes(StandardCharsets.UTF_8)));
      CommandLine command = SlipwayCommand.newCommandLine().setErr(new PrintWriter(err));
      exit = command.execute("registry", "user", "add", "alice", "--config", config.toString(),
          "--password-stdin", "--cost", "4");
    } finally {
      System.setIn(stdin);
    }

    assertThat(exit).as(err.toString()).isZero();
    List<String> lines = Files.readAllLines(htpasswd);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("alice:$2y$04$");
    assertThat(BcryptPasswords.verify("s3cret pass".toCharArray(), lines.get(0).substring(6))).isTrue();
  }
}
