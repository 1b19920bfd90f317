package io.slipway.client.concurrent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns the failure of a task run on another thread back into what the caller's own code would
 * have thrown, so that callers of futures and executors keep plain {@code throws IOException,
 * InterruptedException} signatures. Stateless.
 */
public final class TaskFailures {
  private TaskFailures() {}

  /**
   * The I/O failure to throw for {@code failure} (wrappers such as {@link ExecutionException},
   * {@link CompletionException} and {@link UncheckedIOException} removed), or throws it directly
   * when it is an interruption, a cancellation (as an {@link InterruptedException} whose cause is
   * the cancellation), a runtime exception or an error. Anything else comes back wrapped in an
   * {@link IOException}.
   */
  public static IOException unwrap(Throwable failure) throws InterruptedException {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof UncheckedIOException unchecked) {
      cause = unchecked.getCause();
    }
    if (cause instanceof IOException io) {
      return io;
    }
    if (cause instanceof InterruptedException interrupted) {
      throw interrupted;
    }
    if (cause instanceof CancellationException cancelled) {
      InterruptedException interrupted = new InterruptedException("cancelled");
      interrupted.initCause(cancelled);
      throw interrupted;
    }
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (cause instanceof Error fatal) {
      throw fatal;
    }
    return new IOException(cause);
  }
}
