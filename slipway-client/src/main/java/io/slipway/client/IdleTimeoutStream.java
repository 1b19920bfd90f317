package io.slipway.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Wraps a response body so that a peer that stops sending is detected: when no byte arrives for
 * {@code idle}, a watchdog closes the stream and the blocked read fails with {@link
 * HttpTimeoutException}. The JDK client's request timeout only covers the wait for headers.
 * Confined to the one thread that reads it; the watchdog only closes it.
 */
final class IdleTimeoutStream extends FilterInputStream {
  private final Duration idle;
  private final String what;
  private volatile long lastProgress = System.nanoTime();
  private volatile boolean closed;
  private volatile boolean timedOut;

  IdleTimeoutStream(InputStream in, Duration idle, String what) {
    super(in);
    this.idle = idle;
    this.what = what;
    Thread.ofVirtual().name("idle-watchdog").start(this::watch);
  }

  private void watch() {
    long step = Math.max(10, idle.toMillis() / 4);
    try {
      while (!closed) {
        Thread.sleep(step);
        if (!closed && System.nanoTime() - lastProgress > idle.toNanos()) {
          timedOut = true;
          try {
            in.close();
          } catch (IOException ignored) {
            // Closing is how the reader is woken; a failure here changes nothing.
          }
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public int read() throws IOException {
    try {
      int b = super.read();
      lastProgress = System.nanoTime();
      return b;
    } catch (IOException e) {
      throw timedOut ? timeout(e) : e;
    }
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    try {
      int n = super.read(buffer, offset, length);
      lastProgress = System.nanoTime();
      return n;
    } catch (IOException e) {
      throw timedOut ? timeout(e) : e;
    }
  }

  private IOException timeout(IOException cause) {
    HttpTimeoutException timeout =
        new HttpTimeoutException(what + ": no data for " + idle + ", connection given up");
    timeout.initCause(cause);
    return timeout;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    super.close();
  }
}
