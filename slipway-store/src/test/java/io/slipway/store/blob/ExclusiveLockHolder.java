package io.slipway.store.blob;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A child process for tests of waits on another process's file lock (a store cleaning its ingest
 * area, a database migrating): takes the exclusive lock on the file named by its argument, says
 * {@code locked}, and holds it until killed. Single-threaded.
 */
public final class ExclusiveLockHolder {

  private ExclusiveLockHolder() {}

  public static void main(String[] args) throws Exception {
    FileChannel channel =
        FileChannel.open(
            Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    channel.lock(0, Long.MAX_VALUE, false);
    System.out.println("locked");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
