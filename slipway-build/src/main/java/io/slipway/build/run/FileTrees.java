package io.slipway.build.run;

import io.slipway.build.snapshot.MountTable;
import io.slipway.build.snapshot.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Removes directory trees without following links, and refuses to when something is still mounted
 * below, so a failed unmount can never turn into deleting the files of a bind-mounted source.
 * Stateless; safe for concurrent use.
 */
final class FileTrees {

  private FileTrees() {}

  /** Deletes {@code path} and everything under it; a missing path is fine. */
  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    var mounted = MountTable.mountPointsUnder(path);
    if (!mounted.isEmpty()) {
      throw new IOException("refusing to delete " + path + ": still mounted there: " + mounted);
    }
    Trees.delete(path);
  }
}
