package io.slipway.diff.image;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Sorts {@link FsRecord}s in {@link FsRecord#ORDER} holding at most {@code limit} of them in
 * memory: when the buffer fills it is sorted and appended to one temporary file as a run, and
 * {@link #sorted()} merges the runs, reading each through its own 8 KiB window. Peak heap is
 * {@code limit} records plus 8 KiB per run. Not safe for concurrent use; close to delete the file.
 */
final class SpillingSorter implements AutoCloseable {
  private static final int WINDOW = 8 * 1024;

  private final int limit;
  private final Path tempDir;
  private final List<FsRecord> buffer = new ArrayList<>();
  private final List<long[]> runs = new ArrayList<>();
  private Path spillFile;
  private FileChannel channel;
  private DataOutputStream spillOut;
  private long written;

  SpillingSorter(int limit, Path tempDir) {
    if (limit < 1) {
      throw new IllegalArgumentException("index limit must be positive: " + limit);
    }
    this.limit = limit;
    this.tempDir = tempDir;
  }

  void add(FsRecord record) throws IOException {
    buffer.add(record);
    if (buffer.size() >= limit) {
      spill();
    }
  }

  /** Runs written to disk so far. */
  int runs() {
    return runs.size();
  }

  private void spill() throws IOException {
    buffer.sort(FsRecord.ORDER);
    if (spillFile == null) {
      spillFile = Files.createTempFile(tempDir, "slipway-imagediff-", ".runs");
      channel = FileChannel.open(spillFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
      spillOut = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
    }
    long start = written;
    for (FsRecord record : buffer) {
      record.write(spillOut);
    }
    spillOut.flush();
    written = channel.size();
    runs.add(new long[] {start, written});
    buffer.clear();
  }

  /** All records added, in order. Call once, after the last {@link #add}. */
  Iterator<FsRecord> sorted() throws IOException {
    if (runs.isEmpty()) {
      buffer.sort(FsRecord.ORDER);
      return buffer.iterator();
    }
    if (!buffer.isEmpty()) {
      spill();
    }
    PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> FsRecord.ORDER.compare(a.record, b.record));
    for (long[] run : runs) {
      DataInputStream in = new DataInputStream(new RunInput(channel, run[0], run[1]));
      Head head = new Head(in);
      if (head.advance()) {
        heads.add(head);
      }
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return !heads.isEmpty();
      }

      @Override
      public FsRecord next() {
        Head head = heads.poll();
        if (head == null) {
          throw new NoSuchElementException();
        }
        FsRecord record = head.record;
        try {
          if (head.advance()) {
            heads.add(head);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return record;
      }
    };
  }

  @Override
  public void close() throws IOException {
    buffer.clear();
    if (channel != null) {
      channel.close();
      Files.deleteIfExists(spillFile);
    }
  }

  private static final class Head {
    final DataInputStream in;
    FsRecord record;

    Head(DataInputStream in) {
      this.in = in;
    }

    boolean advance() throws IOException {
      try {
        record = FsRecord.read(in);
        return true;
      } catch (EOFException end) {
        record = null;
        return false;
      }
    }
  }

  /** One run of the shared file, read by position so runs do not disturb one another. */
  private static final class RunInput extends InputStream {
    private final FileChannel channel;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW).flip();
    private long position;
    private final long end;

    RunInput(FileChannel channel, long start, long end) {
      this.channel = channel;
      this.position = start;
      this.end = end;
    }

    @Override
    public int read() throws IOException {
      if (!fill()) {
        return -1;
      }
      return window.get() & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int n = Math.min(length, window.remaining());
      window.get(target, offset, n);
      return n;
    }

    private boolean fill() throws IOException {
      if (window.hasRemaining()) {
        return true;
      }
      if (position >= end) {
        return false;
      }
      window.clear();
      window.limit((int) Math.min(WINDOW, end - position));
      while (window.hasRemaining()) {
        int n = channel.read(window, position + window.position());
        if (n < 0) {
          throw new EOFException("spill file ended early");
        }
      }
      position += window.limit();
      window.flip();
      return true;
    }
  }
}
