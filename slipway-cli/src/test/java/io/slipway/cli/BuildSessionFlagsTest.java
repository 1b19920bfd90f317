package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.build.run.BuildSession;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildSessionFlagsTest {
  private static final Path HERE = Path.of("").toAbsolutePath();

  @TempDir Path dir;

  private static String read(BuildSession session, String id) throws IOException {
    return session.secrets().read(id).map(b -> new String(b, StandardCharsets.UTF_8))
        .orElse(null);
  }

  private static BuildSession secrets(Map<String, String> environment, String... flags) {
    return BuildSessionFlags.parse(List.of(flags), List.of(), List.of(), environment, HERE);
  }

  @Test
  void readsSecretsFromFilesAndVariablesWithoutShowingValues() throws IOException {
    Path token = Files.writeString(dir.resolve("token"), "file-value");
    BuildSession session = secrets(Map.of("API_KEY", "env-value"),
        "id=token,src=" + token, "id=key,env=API_KEY", "id=k2,type=env,src=API_KEY",
        "id=API_KEY", "type=file,id=t2,source=" + token);
    assertThat(read(session, "token")).isEqualTo("file-value");
    assertThat(read(session, "t2")).isEqualTo("file-value");
    assertThat(read(session, "key")).isEqualTo("env-value");
    assertThat(read(session, "k2")).isEqualTo("env-value");
    assertThat(read(session, "API_KEY")).isEqualTo("env-value");
    assertThat(read(session, "other")).isNull();
    assertThat(session.secrets().toString()).doesNotContain("value");
  }

  @Test
  void bareIdReadsTheFileOfThatNameWhenNoVariableIsSet() throws IOException {
    Path file = Files.writeString(dir.resolve("netrc"), "machine x");
    BuildSession session = secrets(Map.of(), "id=" + file);
    assertThat(read(session, file.toString())).isEqualTo("machine x");
  }

  @Test
  void leavesASecretWhoseVariableIsUnsetToTheStepThatNeedsIt() throws IOException {
    assertThat(read(secrets(Map.of(), "id=key,env=UNSET"), "key")).isNull();
  }

  @Test
  void rejectsBadSecretsNamingTheFlag() {
    assertThatThrownBy(() -> secrets(Map.of(), "id=x,src=" + dir.resolve("missing")))
        .hasMessage("invalid --secret \"id=x,src=" + dir.resolve("missing")
            + "\": no such file: " + dir.resolve("missing"));
    assertThatThrownBy(() -> secrets(Map.of("V", "1"), "id=x,env=V", "id=x,env=V"))
        .hasMessageContaining("secret \"x\" is given twice");
    assertThatThrownBy(() -> secrets(Map.of(), "id=x,type=socket"))
        .hasMessageContaining("type must be file or env");
    assertThatThrownBy(() -> secrets(Map.of(), "src=x"))
        .hasMessage("invalid --secret \"src=x\": id=ID is required");
  }

  @Test
  void forwardsTheAgentSocketForDefaultAndNamedIds() throws IOException {
    Path socket = dir.resolve("agent.sock");
    try (ServerSocketChannel agent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      agent.bind(UnixDomainSocketAddress.of(socket));
      BuildSession session = BuildSessionFlags.parse(List.of(),
          List.of("default", "work=" + socket), List.of(),
          Map.of("SSH_AUTH_SOCK", socket.toString()), HERE);
      assertThat(session.sshAgents()).isEqualTo(Map.of("default", socket, "work", socket));
    }
  }

  @Test
  void refusesDefaultSshWithoutAnAgentAndKeyFiles() throws IOException {
    assertThatThrownBy(() -> BuildSessionFlags.parse(List.of(), List.of("default"), List.of(),
        Map.of(), HERE))
        .hasMessage("invalid --ssh \"default\": SSH_AUTH_SOCK is not set; start an ssh-agent or"
            + " pass default=SOCKET");
    Path key = Files.writeString(dir.resolve("id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY");
    assertThatThrownBy(() -> BuildSessionFlags.parse(List.of(), List.of("git=" + key),
        List.of(), Map.of(), HERE))
        .hasMessageContaining(key + " is not a socket");
  }

  @Test
  void grantsKnownEntitlementsAndRejectsOthers() {
    assertThat(BuildSessionFlags.parse(List.of(), List.of(),
        List.of("security.insecure", "network.host"), Map.of(), HERE).entitlements())
        .isEqualTo(Set.of(BuildSession.Entitlement.SECURITY_INSECURE,
            BuildSession.Entitlement.NETWORK_HOST));
    assertThatThrownBy(() -> BuildSessionFlags.parse(List.of(), List.of(),
        List.of("device"), Map.of(), HERE))
        .hasMessage("invalid --allow \"device\": unknown entitlement \"device\""
            + " (use security.insecure or network.host)");
  }
}
