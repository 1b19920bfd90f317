package io.slipway.build.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a process's standard output and error on two threads, hands each line to an
 * {@link OutputListener} and keeps the last lines for the failure report. The threads end when
 * the pipes close. They are virtual for a {@link ProcessBuilder} process, whose pipes the JDK reads
 * through its poller, and platform threads for a {@link SpawnedProcess}, whose pipes are plain
 * file streams: a virtual thread blocked reading one holds its carrier, and two such steps on a
 * two-core machine left no carrier for anything else, not even the step's cancellation. Safe for concurrent use: the pumps add
 * lines while the step may read {@link #lastLines()}.
 */
final class OutputPump {

  /** Longer lines are split, so output without newlines cannot exhaust memory. */
  private static final int MAX_LINE = 16 * 1024;

  private final OutputListener listener;
  private final int keep;
  private final ArrayDeque<String> tail = new ArrayDeque<>();
  private final List<Thread> threads = new ArrayList<>();

  OutputPump(OutputListener listener, int keep) {
    this.listener = listener;
    this.keep = keep;
  }

  /** Starts pumping both streams of {@code process}. */
  void start(Process process) {
    boolean platform = process instanceof SpawnedProcess;
    threads.add(pump(process.getInputStream(), OutputListener.Stream.STDOUT, platform));
    threads.add(pump(process.getErrorStream(), OutputListener.Stream.STDERR, platform));
  }

  /** Waits up to {@code millis} for both streams to reach their end; runs even when interrupted. */
  void await(long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    boolean interrupted = Thread.interrupted();
    for (Thread thread : threads) {
      while (thread.isAlive()) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          break;
        }
        try {
          thread.join(left);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The last lines of both streams, in the order they were read. */
  List<String> lastLines() {
    synchronized (tail) {
      return List.copyOf(tail);
    }
  }

  private Thread pump(InputStream in, OutputListener.Stream stream, boolean platform) {
    Thread.Builder builder = platform ? Thread.ofPlatform().daemon() : Thread.ofVirtual();
    return builder
        .name("run-output-" + stream.name().toLowerCase(java.util.Locale.ROOT))
        .start(() -> read(in, stream));
  }

  private void read(InputStream in, OutputListener.Stream stream) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        for (int i = 0; i < n; i++) {
          byte b = buffer[i];
          if (b == '\n') {
            emit(stream, line);
          } else {
            line.write(b);
            if (line.size() >= MAX_LINE) {
              emit(stream, line);
            }
          }
        }
      }
    } catch (IOException e) {
      // The pipe closed under us (the container was killed); what was read is kept.
    }
    if (line.size() > 0) {
      emit(stream, line);
    }
  }

  private void emit(OutputListener.Stream stream, ByteArrayOutputStream bytes) {
    String text = bytes.toString(StandardCharsets.UTF_8);
    bytes.reset();
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    synchronized (tail) {
      tail.addLast(text);
      while (tail.size() > keep) {
        tail.removeFirst();
      }
    }
    try {
      listener.line(stream, text);
    } catch (RuntimeException e) {
      // A broken listener must not stop the draining, or the process would block on its pipe.
    }
  }
}
