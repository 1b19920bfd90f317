package io.slipway.cli.buildserver;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The build server's wire format on its Unix socket: a stream of frames, each one type byte, a
 * four-byte big-endian payload length and the payload. The client sends one {@link #REQUEST}
 * (or {@link #STATUS} or {@link #STOP}) first. The server answers a request with
 * {@link #ACCEPTED} or {@link #DECLINE}; after an acceptance either side sends the frames its role
 * allows until the server's {@link #EXIT} (or a {@link #DECLINE} before any output, when the
 * command turns out to be one the server leaves to the client), after which the server closes the
 * connection. A client whose connection ends before an answer may run the command itself: the
 * server did not start it.
 *
 * <p>A reader is confined to one thread; a {@link Writer} is safe for concurrent use (frames of
 * several threads never interleave).
 */
final class Frames {
  /** Client → server: the command, first and once ({@link BuildServerRequest}). */
  static final byte REQUEST = 'R';
  /** Client → server, instead of a request: describe yourself (answered on standard output). */
  static final byte STATUS = 'Q';
  /** Client → server, instead of a request: stop as SIGTERM would. */
  static final byte STOP = 'S';
  /** Client → server: bytes of the client's standard input, after {@link #STDIN_WANTED}. */
  static final byte STDIN = 'I';
  /** Client → server: the client's standard input has ended. */
  static final byte STDIN_END = 'i';
  /** Client → server: the user asked to cancel (first Ctrl-C or SIGTERM). */
  static final byte CANCEL = 'C';
  /** Server → client: the request is taken; the command runs in the server. */
  static final byte ACCEPTED = 'A';
  /** Server → client: bytes for the client's standard output. */
  static final byte STDOUT = 'O';
  /** Server → client: bytes for the client's standard error. */
  static final byte STDERR = 'E';
  /** Server → client: the command reads standard input; send it. */
  static final byte STDIN_WANTED = 'N';
  /** Server → client: the command ended; the payload is its exit code as four bytes. */
  static final byte EXIT = 'X';
  /** Server → client: run the command yourself; the payload is the reason in UTF-8. */
  static final byte DECLINE = 'D';

  /**
   * The largest payload either side accepts. A request carries the client's arguments and
   * environment, which stay far below this; output and input travel in chunks of at most {@link
   * #CHUNK} bytes.
   */
  static final int MAX_PAYLOAD = 4 << 20;

  /** The size of the chunks output and input are cut into. */
  static final int CHUNK = 64 << 10;

  private Frames() {}

  /** One frame as read. */
  record Frame(byte type, byte[] payload) {}

  /**
   * Reads the next frame.
   *
   * @throws EOFException when the stream ends at a frame boundary (the peer closed)
   * @throws IOException when the stream ends inside a frame or announces an oversized payload
   */
  static Frame read(DataInputStream in) throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("connection closed");
    }
    int length = in.readInt();
    if (length < 0 || length > MAX_PAYLOAD) {
      throw new IOException("build server protocol: frame '" + (char) type + "' announces "
          + length + " bytes (at most " + MAX_PAYLOAD + ")");
    }
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new Frame((byte) type, payload);
  }

  /**
   * Writes frames to one stream, each whole and flushed. Safe for concurrent use: writers take
   * turns (a lock rather than {@code synchronized}, so a virtual thread waiting on a slow client
   * does not pin its carrier on JDK 21).
   */
  static final class Writer {
    private final DataOutputStream out;
    private final ReentrantLock turn = new ReentrantLock();

    Writer(OutputStream out) {
      this.out = new DataOutputStream(new BufferedOutputStream(out, CHUNK + 5));
    }

    void write(byte type, byte[] payload) throws IOException {
      write(type, payload, 0, payload.length);
    }

    void write(byte type, byte[] payload, int offset, int length) throws IOException {
      turn.lock();
      try {
        out.writeByte(type);
        out.writeInt(length);
        out.write(payload, offset, length);
        out.flush();
      } finally {
        turn.unlock();
      }
    }

  }

  /** {@code value} as the four big-endian bytes of an {@link #EXIT} frame. */
  static byte[] intPayload(int value) {
    return new byte[] {
        (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
  }

  /** The exit code an {@link #EXIT} frame carries. */
  static int exitCode(byte[] payload) throws IOException {
    if (payload.length != 4) {
      throw new IOException("build server protocol: exit frame of " + payload.length
          + " bytes, not 4");
    }
    return ((payload[0] & 0xff) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8)
        | (payload[3] & 0xff);
  }

  /** Reads {@code in} to its end, sending it as {@link #STDIN} frames and one {@link #STDIN_END}. */
  static void pump(InputStream in, Writer writer) throws IOException {
    byte[] buffer = new byte[CHUNK];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      if (n > 0) {
        writer.write(STDIN, buffer, 0, n);
      }
    }
    writer.write(STDIN_END, new byte[0]);
  }
}
