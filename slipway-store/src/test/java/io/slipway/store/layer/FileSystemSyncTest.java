package io.slipway.store.layer;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemSyncTest {

  @TempDir Path directory;

  @Test
  void syncsTheFileSystemOfADirectory() throws IOException {
    Files.writeString(directory.resolve("f"), "data");
    assertThatCode(() -> FileSystemSync.syncFileSystemOf(directory)).doesNotThrowAnyException();
  }

  @Test
  void namesTheDirectoryWhenItCannotBeOpened() throws IOException {
    Path missing = directory.resolve("missing");
    assertThatThrownBy(() -> FileSystemSync.syncFileSystemOf(missing))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot open " + missing + " to sync its file system: errno 2");
    Path file = Files.writeString(directory.resolve("plain"), "x");
    assertThatThrownBy(() -> FileSystemSync.syncFileSystemOf(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot open " + file + " to sync its file system: errno 20");
  }
}
