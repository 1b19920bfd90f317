package io.slipway.store.blob;

import io.slipway.oci.DigestAlgorithm;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;

/**
 * The child process of {@link CrashRecoveryTest}: leaves the store in the states a crash catches
 * it in, reports them on stdout, and waits to be killed. Single-threaded.
 *
 * <ul>
 *   <li>{@code closed <id>}: a resumable ingest of {@link #CLOSED_SIZE} bytes, closed.
 *   <li>{@code open <id>}: a resumable ingest of {@link #OPEN_SIZE} bytes, still open.
 *   <li>{@code writing}: a temporary ingest is being written and will never be committed.
 * </ul>
 */
public final class InterruptedWrites {

  static final int CLOSED_SIZE = 1 << 20;
  static final int OPEN_SIZE = 3 << 20;
  static final long CLOSED_SEED = 1;
  static final long OPEN_SEED = 2;

  private InterruptedWrites() {}

  public static void main(String[] args) throws Exception {
    FileBlobStore store = FileBlobStore.open(Path.of(args[0]));
    try (BlobWriter closed = store.newWriter(DigestAlgorithm.SHA256)) {
      closed.write(ByteBuffer.wrap(content(CLOSED_SIZE, CLOSED_SEED)));
      System.out.println("closed " + closed.id());
    }
    BlobWriter open = store.newWriter(DigestAlgorithm.SHA256);
    open.write(ByteBuffer.wrap(content(OPEN_SIZE, OPEN_SEED)));
    System.out.println("open " + open.id());

    BlobWriter temporary = store.newTemporaryWriter(DigestAlgorithm.SHA256);
    byte[] chunk = content(64 * 1024, 3);
    temporary.write(chunk, 0, chunk.length);
    System.out.println("writing");
    System.out.flush();
    // Keep writing (bounded, so a parent that never kills us cannot fill the disk), then wait.
    for (int i = 0; i < 4096; i++) {
      temporary.write(chunk, 0, chunk.length);
    }
    Thread.sleep(Long.MAX_VALUE);
  }

  static byte[] content(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
