package io.slipway.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtpasswdFileTest {
  @TempDir Path dir;

  @Test
  void seesNewUserWhenFileChangesAfterOpening() throws Exception {
    Path path = dir.resolve("htpasswd");
    HtpasswdFile.putUser(path, "alice", "one".toCharArray(), 4);
    HtpasswdFile file = HtpasswdFile.open(path);
    assertThat(file.contains("bob")).isFalse();

    HtpasswdFile.putUser(path, "bob", "two".toCharArray(), 4);

    assertThat(file.contains("bob")).isTrue();
    assertThat(BcryptPasswords.verify("two".toCharArray(), file.hash("bob").orElseThrow())).isTrue();
    assertThat(file.contains("alice")).isTrue();
  }

  @Test
  void replacesPasswordWhenUserIsAddedAgain() throws Exception {
    Path path = dir.resolve("htpasswd");
    HtpasswdFile.putUser(path, "alice", "old".toCharArray(), 4);
    HtpasswdFile file = HtpasswdFile.open(path);
    UserAuthenticator users = new UserAuthenticator(file, AccessPolicy.of(List.of(), Map.of()));

    HtpasswdFile.putUser(path, "alice", "new".toCharArray(), 4);

    assertThat(users.authenticate("alice", "old".toCharArray())).isEmpty();
    assertThat(users.authenticate("alice", "new".toCharArray())).isPresent();
    assertThat(Files.readAllLines(path)).hasSize(1);
  }

  @Test
  void writesOwnerOnlyFileWhenAddingUser() throws Exception {
    Path path = dir.resolve("htpasswd");

    HtpasswdFile.putUser(path, "alice", "pw".toCharArray(), 4);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
    assertThat(Files.readString(path)).startsWith("alice:$2y$04$");
    assertThat(Files.list(dir)).containsExactly(path);
  }

  @Test
  void skipsEntryWhenItIsNotBcrypt() throws Exception {
    Path path = dir.resolve("htpasswd");
    Files.writeString(path, "# users\nold:$apr1$abc$def\n\nabc:$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i\n");

    HtpasswdFile file = HtpasswdFile.open(path);

    assertThat(file.contains("old")).isFalse();
    assertThat(file.contains("abc")).isTrue();
  }

  @Test
  void dropsEveryUserWhenFileIsDeleted() throws Exception {
    Path path = dir.resolve("htpasswd");
    HtpasswdFile.putUser(path, "alice", "pw".toCharArray(), 4);
    HtpasswdFile file = HtpasswdFile.open(path);

    Files.delete(path);

    assertThat(file.contains("alice")).isFalse();
  }

  @Test
  void rejectsUserNameWhenItHoldsColon() {
    assertThatThrownBy(() -> HtpasswdFile.putUser(dir.resolve("h"), "a:b", "pw".toCharArray(), 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without colons");
    assertThat(dir.resolve("h")).doesNotExist();
  }

  @Test
  void spendsBcryptTimeWhenUserIsUnknown() throws Exception {
    Path path = dir.resolve("htpasswd");
    HtpasswdFile.putUser(path, "alice", "pw".toCharArray(), BcryptPasswords.DEFAULT_COST);
    UserAuthenticator users =
        new UserAuthenticator(HtpasswdFile.open(path), AccessPolicy.of(List.of(), Map.of()));
    users.authenticate("alice", "warm-up".toCharArray());

    long unknown = medianNanos(() -> users.authenticate("nobody", "guess".toCharArray()));
    long wrong = medianNanos(() -> users.authenticate("alice", "guess".toCharArray()));

    // Both run one bcrypt of cost 10 (tens of milliseconds); without the dummy hash the unknown
    // user would answer in microseconds. A factor of 3 leaves room for a busy machine.
    assertThat((double) unknown / wrong).as("unknown %d ns vs wrong %d ns", unknown, wrong)
        .isBetween(1 / 3.0, 3.0);
  }

  private static long medianNanos(Runnable action) {
    long[] samples = new long[5];
    for (int i = 0; i < samples.length; i++) {
      long start = System.nanoTime();
      action.run();
      samples[i] = System.nanoTime() - start;
    }
    java.util.Arrays.sort(samples);
    return samples[samples.length / 2];
  }
}
