package io.slipway.build.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserResolverTest {

  private static final String PASSWD =
      """
      root:x:0:0:root:/root:/bin/sh
      # a comment
      daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
      app:x:1000:1000:App:/home/app:/bin/sh
      broken:x:notanumber:1::/:/bin/sh
      """;

  private static final String GROUP =
      """
      root:x:0:
      daemon:x:1:
      wheel:x:10:app,daemon
      app:x:1000:
      docker:x:999:app
      empty:x:50
      """;

  @Test
  void doesResolveUidZeroWhenUserIsEmpty() {
    assertThat(UserResolver.resolve("", PASSWD, GROUP))
        .isEqualTo(new ResolvedUser(0, 0, List.of(0), Optional.of("/root")));
    assertThat(UserResolver.resolve("", "", "")).isEqualTo(new ResolvedUser(0, 0, List.of(0),
        Optional.empty()));
  }

  @Test
  void doesUsePasswdIdsAndMembershipGroupsWhenUserIsAName() {
    ResolvedUser user = UserResolver.resolve("app", PASSWD, GROUP);

    assertThat(user)
        .isEqualTo(new ResolvedUser(1000, 1000, List.of(1000, 10, 999), Optional.of("/home/app")));
  }

  @Test
  void doesFindPasswdEntryWhenUserIsANumberWithAnEntry() {
    ResolvedUser user = UserResolver.resolve("1000", PASSWD, GROUP);

    assertThat(user.uid()).isEqualTo(1000);
    assertThat(user.gid()).isEqualTo(1000);
    assertThat(user.additionalGids()).containsExactly(1000, 10, 999);
    assertThat(user.home()).contains("/home/app");
  }

  @Test
  void doesUseGroupZeroWhenUserIsANumberWithoutEntry() {
    assertThat(UserResolver.resolve("4242", PASSWD, GROUP))
        .isEqualTo(new ResolvedUser(4242, 0, List.of(0), Optional.empty()));
  }

  @Test
  void doesTakeNamedGroupWithoutMembershipGroupsWhenUserHasGroup() {
    assertThat(UserResolver.resolve("app:docker", PASSWD, GROUP))
        .isEqualTo(new ResolvedUser(1000, 999, List.of(999), Optional.of("/home/app")));
  }

  @Test
  void doesTakeNumericGroupWhenGroupIsANumberWithoutEntry() {
    assertThat(UserResolver.resolve("4242:777", PASSWD, GROUP))
        .isEqualTo(new ResolvedUser(4242, 777, List.of(777), Optional.empty()));
  }

  @Test
  void doesNotRepeatPrimaryGroupWhenUserIsMemberOfIt() {
    ResolvedUser user = UserResolver.resolve("daemon", PASSWD, GROUP);

    assertThat(user.gid()).isEqualTo(1);
    assertThat(user.additionalGids()).containsExactly(1, 10);
  }

  @Test
  void doesNameTheUserWhenNameHasNoEntry() {
    assertThatThrownBy(() -> UserResolver.resolve("nobody", PASSWD, GROUP))
        .isInstanceOf(UnknownUserException.class)
        .hasMessage(
            "unable to find user \"nobody\": no user named \"nobody\" in the image's /etc/passwd");
  }

  @Test
  void doesNameTheGroupWhenGroupHasNoEntry() {
    assertThatThrownBy(() -> UserResolver.resolve("app:staff", PASSWD, GROUP))
        .isInstanceOf(UnknownUserException.class)
        .hasMessageContaining("no group named \"staff\" in the image's /etc/group");
  }

  @Test
  void doesSkipMalformedEntriesWhenIdsAreNotNumbers() {
    assertThatThrownBy(() -> UserResolver.resolve("broken", PASSWD, GROUP))
        .isInstanceOf(UnknownUserException.class);
  }

  @Test
  void doesReadFilesThroughLinksInsideTheRootWhenResolvingFromARootfs(@TempDir Path root)
      throws IOException {
    Files.createDirectories(root.resolve("data/etc"));
    Files.writeString(root.resolve("data/etc/passwd"), PASSWD);
    Files.writeString(root.resolve("data/etc/group"), GROUP);
    // An absolute link must be taken inside the root, not on the host.
    Files.createSymbolicLink(root.resolve("etc"), Path.of("/data/etc"));
    try {
      assertThat(UserResolver.resolve("app", root).uid()).isEqualTo(1000);
    } finally {
      Files.delete(root.resolve("etc"));
    }
  }

  @Test
  void doesFailForNamesWhenRootfsHasNoPasswd(@TempDir Path root) {
    assertThatThrownBy(() -> UserResolver.resolve("app", root))
        .isInstanceOf(UnknownUserException.class);
  }
}
