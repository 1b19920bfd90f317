package io.slipway.cli.buildserver;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything a build server sends one client, written to the connection by a thread of its own.
 *
 * <p>Why a thread: a socket channel closes itself when a thread writing to it is interrupted, and
 * a build interrupts its own threads (cancellation, the live display ending), so a build thread
 * writing its output straight to the connection could cut the client off mid-build. The writing
 * thread here belongs to this class alone and is never interrupted; build threads only queue
 * frames.
 *
 * <p>The queue holds at most {@link #MAX_QUEUED_BYTES} of output, so a client that reads slowly
 * slows the command down as a full pipe would. Once the command is cancelled ({@link
 * #stopWaiting}) nobody waits any more: output beyond the bound is dropped, so a client that
 * stopped reading (a suspended terminal) cannot hold a cancelled build, or a server that is
 * shutting down, in a write. Frames that end the exchange ({@link #sendFinal}) are never dropped.
 *
 * <p>Safe for concurrent use.
 */
final class ClientOutput {
  /** Output queued but not yet written, at most; a few chunks. */
  static final int MAX_QUEUED_BYTES = 4 * Frames.CHUNK;

  private final Frames.Writer writer;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Frames.Frame> queue = new ArrayDeque<>();
  private final Thread thread;
  private long queuedBytes;
  private boolean waitingStopped;
  private boolean finished;
  private IOException failure;

  /** Starts writing frames with {@code writer}, which nothing else may use. */
  ClientOutput(Frames.Writer writer) {
    this.writer = writer;
    this.thread = Thread.ofVirtual().name("slipway-builder-output").start(this::writeLoop);
  }

  /**
   * Queues output, waiting while the queue is full (not after {@link #stopWaiting}, when what
   * does not fit is dropped). Interrupts do not end the wait, nor are they lost.
   *
   * @throws IOException when the client is gone
   */
  void send(byte type, byte[] bytes, int offset, int length) throws IOException {
    Frames.Frame frame = new Frames.Frame(type, Arrays.copyOfRange(bytes, offset, offset + length));
    lock.lock();
    try {
      while (failure == null && !waitingStopped && !finished && !queue.isEmpty()
          && queuedBytes + length > MAX_QUEUED_BYTES) {
        changed.awaitUninterruptibly();
      }
      checkOpen();
      if (queuedBytes + length > MAX_QUEUED_BYTES && !queue.isEmpty()) {
        return;
      }
      enqueue(frame);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues a frame that ends the exchange or answers a request ({@link Frames#EXIT},
   * {@link Frames#DECLINE}, {@link Frames#ACCEPTED}, a status), whatever the queue holds; the
   * caller sends few of these.
   *
   * @throws IOException when the client is gone
   */
  void sendFinal(byte type, byte[] payload) throws IOException {
    lock.lock();
    try {
      checkOpen();
      enqueue(new Frames.Frame(type, payload.clone()));
    } finally {
      lock.unlock();
    }
  }

  /** As {@link #sendFinal} for a frame carrying one four-byte integer. */
  void sendFinalInt(byte type, int value) throws IOException {
    sendFinal(type, Frames.intPayload(value));
  }

  /** An output stream that sends what is written to it as frames of {@code type}, in chunks. */
  OutputStream stream(byte type) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        send(type, new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
          int chunk = Math.min(length, Frames.CHUNK);
          send(type, bytes, offset, chunk);
          offset += chunk;
          length -= chunk;
        }
      }
    };
  }

  /** From now on no sender waits for the client: output that does not fit is dropped. */
  void stopWaiting() {
    lock.lock();
    try {
      waitingStopped = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sends nothing more and waits until what is queued has been written, or the connection
   * failed. Interrupts do not end the wait, nor are they lost; closing the connection does.
   */
  void finish() {
    lock.lock();
    try {
      finished = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void checkOpen() throws IOException {
    if (failure != null) {
      throw new IOException("the client is gone: " + failure.getMessage(), failure);
    }
    if (finished) {
      throw new IOException("the exchange with the client has ended");
    }
  }

  private void enqueue(Frames.Frame frame) {
    queue.addLast(frame);
    queuedBytes += frame.payload().length;
    changed.signalAll();
  }

  private void writeLoop() {
    while (true) {
      Frames.Frame next;
      lock.lock();
      try {
        while (queue.isEmpty() && !finished) {
          changed.awaitUninterruptibly();
        }
        if (queue.isEmpty()) {
          return;
        }
        next = queue.peekFirst();
      } finally {
        lock.unlock();
      }
      IOException failed = null;
      try {
        writer.write(next.type(), next.payload());
      } catch (IOException e) {
        failed = e;
      }
      lock.lock();
      try {
        queue.removeFirst();
        queuedBytes -= next.payload().length;
        if (failed != null) {
          failure = failed;
          queue.clear();
          queuedBytes = 0;
        }
        changed.signalAll();
        if (failed != null) {
          return;
        }
      } finally {
        lock.unlock();
      }
    }
  }
}
