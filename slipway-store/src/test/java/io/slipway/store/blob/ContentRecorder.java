package io.slipway.store.blob;

import java.nio.file.Path;
import java.util.List;

/**
 * A child process for {@link ContentExclusionTest}: opens the store at {@code args[0]}, enters
 * {@link FileBlobStore#recordIfPresent} as a builder committing a record would, prints {@code
 * recording} and stays there until it is killed.
 */
public final class ContentRecorder {

  private ContentRecorder() {}

  public static void main(String[] args) throws Exception {
    try (FileBlobStore store = FileBlobStore.open(Path.of(args[0]))) {
      store.<Void, InterruptedException>recordIfPresent(List.of(), () -> {
        System.out.println("recording");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
        return null;
      });
    }
  }
}
