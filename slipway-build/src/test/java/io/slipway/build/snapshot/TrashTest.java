package io.slipway.build.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrashTest {

  @TempDir Path root;

  @Test
  void discardMovesTheTreeAwayAtOnceAndDeletesItLater() throws Exception {
    Trash trash = Trash.open(root.resolve("trash"));
    Path tree = Files.createDirectories(root.resolve("bundle/work/work"));
    Files.writeString(tree.resolve("file"), "x");
    // Search permission off, as overlay leaves its work directory: the delete must still manage.
    Files.setAttribute(tree, "unix:mode", 0);

    trash.discard(root.resolve("bundle"));

    assertThat(root.resolve("bundle")).doesNotExist();
    trash.awaitIdle();
    assertThat(entries(trash.directory())).isZero();
  }

  @Test
  void openDeletesWhatACrashedProcessLeftInTheTrash() throws Exception {
    Path leftover = Files.createDirectories(root.resolve("trash/1234-5-1/etc"));
    Files.writeString(leftover.resolve("hosts"), "127.0.0.1 localhost\n");

    Trash trash = Trash.open(root.resolve("trash"));

    trash.awaitIdle();
    assertThat(entries(trash.directory())).isZero();
  }

  @Test
  void discardingAMissingPathIsFine() throws Exception {
    Trash trash = Trash.open(root.resolve("trash"));

    trash.discard(root.resolve("absent"));

    trash.awaitIdle();
    assertThat(entries(trash.directory())).isZero();
  }

  private static long entries(Path directory) throws Exception {
    try (Stream<Path> list = Files.list(directory)) {
      return list.count();
    }
  }
}
