package io.slipway.cli.buildserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client's command as the build server's {@link BuildServer.Handler} sees it: the request,
 * the client's standard output and error (sent as they are written), its standard input (asked
 * for at the first read, so a command that never reads it costs the client nothing), and
 * cancellation, which comes when the client asks for it (its first Ctrl-C), when the client goes
 * away (killed, connection lost) or when the server shuts down past its drain time.
 *
 * <p>Input is buffered up to {@link #MAX_QUEUED_INPUT} bytes: past that the connection's reader
 * waits for the command to read, so a client streaming a large input cannot fill the server's
 * heap, which all its builds share.
 *
 * <p>Safe for concurrent use: the handler's thread writes output and reads input while the
 * connection's reader thread delivers input and cancellation.
 */
public final class Session {
  private static final byte[] END = new byte[0];

  /** Input received but not yet read by the command, at most. */
  static final int MAX_QUEUED_INPUT = 16 * Frames.CHUNK;

  private final BuildServerRequest request;
  private final ClientOutput output;
  private final OutputStream stdout;
  private final OutputStream stderr;
  private final InputStream stdin = new ClientInput();
  private final ReentrantLock inputLock = new ReentrantLock();
  private final Condition inputChanged = inputLock.newCondition();
  private final ArrayDeque<byte[]> input = new ArrayDeque<>();
  private long queuedInput;
  /** Set when the command can no longer read its input: it ended or was cancelled. */
  private boolean inputUnwanted;
  private final AtomicBoolean inputWanted = new AtomicBoolean();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final CopyOnWriteArrayList<Runnable> cancelActions = new CopyOnWriteArrayList<>();

  Session(BuildServerRequest request, ClientOutput output) {
    this.request = request;
    this.output = output;
    this.stdout = output.stream(Frames.STDOUT);
    this.stderr = output.stream(Frames.STDERR);
  }

  /** What the client asked for. */
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
          output.sendFinal(Frames.STDIN_WANTED, new byte[0]);
        }
        current = take();
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

  private byte[] take() throws InterruptedIOException {
    inputLock.lock();
    try {
      while (input.isEmpty()) {
        inputChanged.await();
      }
      byte[] next = input.removeFirst();
      queuedInput -= next.length;
      inputChanged.signalAll();
      return next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading the client's input");
    } finally {
      inputLock.unlock();
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
      // First, so that no action (nor any thread it wakes) waits on a client that stopped
      // reading its output, nor the client's reader on a command that stopped reading input.
      output.stopWaiting();
      stopInput();
      for (Runnable action : cancelActions) {
        if (cancelActions.remove(action)) {
          action.run();
        }
      }
    }
  }

  /**
   * Hands input to the command, waiting while {@link #MAX_QUEUED_INPUT} bytes are unread; dropped
   * once the command can no longer read it.
   */
  void deliverInput(byte[] bytes) {
    inputLock.lock();
    try {
      while (!inputUnwanted && queuedInput > 0 && queuedInput + bytes.length > MAX_QUEUED_INPUT) {
        inputChanged.awaitUninterruptibly();
      }
      if (!inputUnwanted) {
        input.addLast(bytes);
        queuedInput += bytes.length;
        inputChanged.signalAll();
      }
    } finally {
      inputLock.unlock();
    }
  }

  /** Ends the command's input: what it reads after what is queued is the end of the stream. */
  void endInput() {
    inputLock.lock();
    try {
      input.addLast(END);
      inputChanged.signalAll();
    } finally {
      inputLock.unlock();
    }
  }

  /** The command has ended: input that still arrives is dropped, and nobody waits for space. */
  void stopInput() {
    inputLock.lock();
    try {
      inputUnwanted = true;
      inputChanged.signalAll();
    } finally {
      inputLock.unlock();
    }
  }
}
