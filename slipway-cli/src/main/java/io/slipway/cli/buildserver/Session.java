package io.slipway.cli.buildserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's command as the build server's {@link BuildServer.Handler} sees it: the request,
 * the client's standard output and error (sent as they are written), its standard input (asked
 * for at the first read, so a command that never reads it costs the client nothing), and
 * cancellation, which comes when the client asks for it (its first Ctrl-C), when the client goes
 * away (killed, connection lost) or when the server shuts down past its drain time.
 *
 * <p>Safe for concurrent use: the handler's thread writes output and reads input while the
 * connection's reader thread delivers input and cancellation.
 */
public final class Session {
  private static final byte[] END = new byte[0];

  private final BuildServerRequest request;
  private final Frames.Writer writer;
  private final OutputStream stdout;
  private final OutputStream stderr;
  private final InputStream stdin = new ClientInput();
  private final BlockingQueue<byte[]> input = new LinkedBlockingQueue<>();
  private final AtomicBoolean inputWanted = new AtomicBoolean();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final CopyOnWriteArrayList<Runnable> cancelActions = new CopyOnWriteArrayList<>();

  Session(BuildServerRequest request, Frames.Writer writer) {
    this.request = request;
    this.writer = writer;
    this.stdout = Frames.output(writer, Frames.STDOUT);
    this.stderr = Frames.output(writer, Frames.STDERR);
  }

  public BuildServerRequest request() {
    return request;
  }

  /** The client's standard output. Writes fail once the client is gone. */
  public OutputStream stdout() {
    return stdout;
  }

  /** The client's standard error. Writes fail once the client is gone. */
  public OutputStream stderr() {
    return stderr;
  }

  /** The client's standard input, fetched at the first read. One stream per session. */
  public InputStream stdin() {
    return stdin;
  }

  /** The client's input as it arrives; read by one thread at a time. */
  private final class ClientInput extends InputStream {
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      while (position == current.length) {
        if (ended) {
          return -1;
        }
        if (inputWanted.compareAndSet(false, true)) {
          writer.write(Frames.STDIN_WANTED, new byte[0]);
        }
        try {
          current = input.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while reading the client's input");
        }
        position = 0;
        if (current == END) {
          ended = true;
        }
      }
      int n = Math.min(length, current.length - position);
      System.arraycopy(current, position, bytes, offset, n);
      position += n;
      return n;
    }
  }

  /**
   * Runs {@code action} once when the command is cancelled, at once if it already is. Closing
   * the result withdraws it (a command that has finished must not be interrupted later).
   */
  public AutoCloseable onCancel(Runnable action) {
    cancelActions.add(action);
    if (cancelled.get() && cancelActions.remove(action)) {
      action.run();
    }
    return () -> cancelActions.remove(action);
  }

  /** Whether the command was cancelled. */
  public boolean cancelled() {
    return cancelled.get();
  }

  void cancel() {
    if (cancelled.compareAndSet(false, true)) {
      for (Runnable action : cancelActions) {
        if (cancelActions.remove(action)) {
          action.run();
        }
      }
    }
  }

  void deliverInput(byte[] bytes) {
    input.add(bytes);
  }

  void endInput() {
    input.add(END);
  }
}
