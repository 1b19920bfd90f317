package io.slipway.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MountSpecTest {

  private static final Location AT = new Location(3, 5);

  private static RunMount resolve(String text) {
    return MountSpec.parse(text, "Dockerfile", AT).resolve(s -> s, "Dockerfile", 0);
  }

  @Test
  void defaultsToReadOnlyBindWhenTypeOmitted() {
    assertThat(resolve("target=/src"))
        .isEqualTo(new RunMount.Bind("/src", "/", Optional.empty(), true));
    assertThat(resolve("type=bind,from=build,source=/out,target=/in,rw"))
        .isEqualTo(new RunMount.Bind("/in", "/out", Optional.of("build"), false));
    assertThat(resolve("type=bind,src=a,dst=/b,readonly=false"))
        .isEqualTo(new RunMount.Bind("/b", "a", Optional.empty(), false));
  }

  @Test
  void parsesCacheMountWithAllKeys() {
    assertThat(
            resolve(
                "type=cache,id=gomod,target=/go/pkg/mod,sharing=locked,from=base,source=/cache,"
                    + "mode=0700,uid=1000,gid=1001,ro"))
        .isEqualTo(
            new RunMount.Cache(
                "/go/pkg/mod", "gomod", RunMount.Sharing.LOCKED, Optional.of("base"), "/cache",
                true, 0700, 1000, 1001));
    assertThat(resolve("type=cache,target=/root/.cache"))
        .isEqualTo(
            new RunMount.Cache(
                "/root/.cache", "/root/.cache", RunMount.Sharing.SHARED, Optional.empty(), "/",
                false, 0755, 0, 0));
  }

  @Test
  void parsesTmpfsSizeWithUnits() {
    assertThat(resolve("type=tmpfs,target=/tmp,size=64m"))
        .isEqualTo(new RunMount.Tmpfs("/tmp", 64L << 20));
    assertThat(resolve("type=tmpfs,target=/tmp")).isEqualTo(new RunMount.Tmpfs("/tmp", 0));
  }

  @Test
  void defaultsSecretTargetFromId() {
    assertThat(resolve("type=secret,id=npmrc"))
        .isEqualTo(
            new RunMount.Secret("/run/secrets/npmrc", "npmrc", Optional.empty(), false, 0400, 0, 0));
    assertThat(resolve("type=secret,target=/root/.npmrc,required"))
        .isEqualTo(new RunMount.Secret("/root/.npmrc", ".npmrc", Optional.empty(), true, 0400, 0, 0));
    assertThat(resolve("type=secret,id=token,env=GITHUB_TOKEN"))
        .isEqualTo(new RunMount.Secret("", "token", Optional.of("GITHUB_TOKEN"), false, 0400, 0, 0));
  }

  @Test
  void defaultsSshIdAndTarget() {
    assertThat(resolve("type=ssh"))
        .isEqualTo(new RunMount.Ssh("/run/buildkit/ssh_agent.0", "default", false, 0600, 0, 0));
    assertThat(resolve("type=ssh,id=github,target=/ssh.sock,required=true,mode=0666,uid=5"))
        .isEqualTo(new RunMount.Ssh("/ssh.sock", "github", true, 0666, 5, 0));
  }

  @Test
  void expandsValuesBeforeTyping() {
    RunMount mount =
        MountSpec.parse("type=cache,target=$DIR,uid=${UID}", "Dockerfile", AT)
            .resolve(
                s -> ShellLexer.of('\\').expandWord(s, Map.of("DIR", "/c", "UID", "42")),
                "Dockerfile", 0);
    assertThat(mount)
        .isEqualTo(
            new RunMount.Cache("/c", "/c", RunMount.Sharing.SHARED, Optional.empty(), "/", false,
                0755, 42, 0));
  }

  @Test
  void rejectsUnknownKeyAndType() {
    assertThatThrownBy(() -> resolve("type=cache,target=/x,colour=red"))
        .isInstanceOf(DockerfileException.class)
        .hasMessage(
            "Dockerfile:3:5: unexpected key 'colour' in 'colour=red'"
                + " in \"--mount=type=cache,target=/x,colour=red\"");
    assertThatThrownBy(() -> resolve("type=volume,target=/x"))
        .hasMessageContaining("unsupported mount type \"volume\"");
  }

  @Test
  void rejectsKeysThatDoNotFitTheType() {
    assertThatThrownBy(() -> resolve("type=bind,target=/x,sharing=locked"))
        .hasMessageContaining("sharing is only allowed for type=cache, not type=bind");
    assertThatThrownBy(() -> resolve("type=cache,target=/x,size=1g"))
        .hasMessageContaining("size is only allowed for type=tmpfs, not type=cache");
    assertThatThrownBy(() -> resolve("type=bind,target=/x,uid=1"))
        .hasMessageContaining("uid is only allowed for type=cache, secret or ssh, not type=bind");
    assertThatThrownBy(() -> resolve("type=cache,target=/x,required"))
        .hasMessageContaining("required is not allowed for type=cache");
  }

  @Test
  void rejectsBadValues() {
    assertThatThrownBy(() -> resolve("type=cache,target=/x,sharing=everyone"))
        .hasMessageContaining("unsupported sharing value \"everyone\"");
    assertThatThrownBy(() -> resolve("type=cache,target=/x,mode=999"))
        .hasMessageContaining("invalid value for mode: 999");
    assertThatThrownBy(() -> resolve("type=bind,target=/x,ro=maybe"))
        .hasMessageContaining("invalid value for ro: maybe");
    assertThatThrownBy(() -> resolve("type=cache"))
        .hasMessageContaining("type=cache needs a target");
    assertThatThrownBy(() -> resolve("type=secret"))
        .hasMessageContaining("type=secret needs an id or a target");
  }

  @Test
  void readsQuotedCsvFields() {
    assertThat(resolve("type=bind,\"source=a,b\",target=/x"))
        .isEqualTo(new RunMount.Bind("/x", "a,b", Optional.empty(), true));
  }
}
