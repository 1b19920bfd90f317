package io.slipway.diff.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bytes of one side of a text diff, on the heap when small and memory-mapped when large, so a
 * large input costs page cache rather than heap. Read-only and safe for concurrent use: every
 * access is by absolute index and never moves the buffer's position.
 */
public final class TextInput {
  private final ByteBuffer bytes;
  private final boolean mapped;

  private TextInput(ByteBuffer bytes, boolean mapped) {
    this.bytes = bytes;
    this.mapped = mapped;
  }

  /** An input held in the given array, which the caller must not change afterwards. */
  public static TextInput of(byte[] content) {
    return new TextInput(ByteBuffer.wrap(content).order(ByteOrder.nativeOrder()), false);
  }

  /**
   * Opens a file, mapping it when it is at least {@code mapThresholdBytes} long.
   *
   * @throws TextInputException when the file cannot be read, is not a regular file, or exceeds
   *     2 GiB (the limit of one mapping)
   */
  public static TextInput open(Path path, long mapThresholdBytes) throws TextInputException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = channel.size();
      if (Files.isDirectory(path)) {
        throw new TextInputException(path, "is a directory, not a file");
      }
      if (size > Integer.MAX_VALUE - 8) {
        throw new TextInputException(
            path, "is " + size + " bytes; text diff takes inputs up to 2 GiB");
      }
      if (size >= mapThresholdBytes && size > 0) {
        // Native order: word reads need no byte swapping, and nothing depends on the order.
        return new TextInput(
            channel.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.nativeOrder()), true);
      }
      byte[] content = new byte[(int) size];
      ByteBuffer target = ByteBuffer.wrap(content);
      while (target.hasRemaining()) {
        if (channel.read(target) < 0) {
          throw new TextInputException(path, "shrank while being read");
        }
      }
      return new TextInput(ByteBuffer.wrap(content).order(ByteOrder.nativeOrder()), false);
    } catch (TextInputException e) {
      throw e;
    } catch (IOException e) {
      throw new TextInputException(path, "cannot read: " + e.getMessage(), e);
    }
  }

  /** Length in bytes. */
  public int size() {
    return bytes.capacity();
  }

  /** Whether the bytes are mapped from a file (off-heap) rather than held on the heap. */
  public boolean mapped() {
    return mapped;
  }

  /**
   * Whether the input looks binary the way GNU diff decides it: a NUL byte within the first
   * 32 KiB.
   */
  public boolean looksBinary() {
    int limit = Math.min(size(), 32 * 1024);
    for (int i = 0; i < limit; i++) {
      if (bytes.get(i) == 0) {
        return true;
      }
    }
    return false;
  }

  ByteBuffer buffer() {
    return bytes;
  }
}
