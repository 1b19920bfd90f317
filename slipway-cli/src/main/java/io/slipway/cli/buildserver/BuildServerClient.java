package io.slipway.cli.buildserver;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client side of a {@link BuildServer}: sends one command, copies the server's output to this
 * process's streams and its standard input to the server when asked, and passes on cancellation;
 * or asks the server for its status, or to stop. One exchange per connection.
 * {@link #run} is confined to one thread; {@link #cancel} may be called from any (a signal
 * handler).
 */
public final class BuildServerClient implements AutoCloseable {

  /** How a command sent to the server ended. */
  public sealed interface Outcome {
    /** The server ran the command, which exited with {@code code}. */
    record Exited(int code) implements Outcome {}

    /** The server left the command to this process, for {@code reason}. */
    record Declined(String reason) implements Outcome {}
  }

  /** How long {@link #run} waits by default for the server to take or decline a request. */
  public static final Duration ANSWER_DEADLINE = Duration.ofSeconds(30);

  private final SocketChannel channel;
  private final Frames.Writer writer;
  private volatile boolean timedOut;

  private BuildServerClient(SocketChannel channel) {
    this.channel = channel;
    this.writer = new Frames.Writer(Channels.newOutputStream(channel));
  }

  /**
   * Connects to the server on {@code socket}; empty when nothing listens there (no socket file,
   * a server that has gone, or one this user may not reach).
   */
  public static Optional<BuildServerClient> connect(Path socket) {
    if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    SocketChannel channel = null;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket));
      return Optional.of(new BuildServerClient(channel));
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // Nothing was sent; nothing to tidy.
        }
      }
      return Optional.empty();
    }
  }

  /**
   * Sends {@code request} and relays until the command ends. A server that closes the connection
   * before taking the request (it was stopping), or does not answer within {@code answerDeadline}
   * (it is wedged), declines it: it has not started the command.
   *
   * @throws IOException when the connection breaks after the server took the command and before
   *     it said how the command ended
   */
  public Outcome run(BuildServerRequest request, InputStream stdin, OutputStream stdout,
      OutputStream stderr, Duration answerDeadline) throws IOException {
    DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
    AtomicBoolean answered = new AtomicBoolean();
    Thread watchdog = Thread.ofPlatform().daemon().name("slipway-builder-answer").start(() -> {
      try {
        Thread.sleep(answerDeadline);
        if (answered.compareAndSet(false, true)) {
          timedOut = true;
          channel.close();
        }
      } catch (InterruptedException | IOException e) {
        // Answered in time, or closed anyway.
      }
    });
    try {
      writer.write(Frames.REQUEST, request.encode());
      Frames.Frame first = Frames.read(in);
      if (!answered.compareAndSet(false, true)) {
        throw new IOException("answered after the deadline");
      }
      watchdog.interrupt();
      switch (first.type()) {
        case Frames.ACCEPTED -> {}
        case Frames.DECLINE -> {
          return new Outcome.Declined(new String(first.payload(), StandardCharsets.UTF_8));
        }
        default -> throw new IOException("build server protocol: unexpected frame '"
            + (char) first.type() + "' in answer to a request");
      }
    } catch (IOException e) {
      watchdog.interrupt();
      if (timedOut) {
        return new Outcome.Declined("the build server did not answer within "
            + answerDeadline.toMillis() + " ms");
      }
      // Whatever broke, it broke before the server took the command, so it did not run it.
      return new Outcome.Declined("the build server closed the connection before taking the"
          + " build (is it stopping?): " + e.getMessage());
    }
    return relay(in, stdin, stdout, stderr);
  }

  private Outcome relay(DataInputStream in, InputStream stdin, OutputStream stdout,
      OutputStream stderr) throws IOException {
    boolean pumping = false;
    while (true) {
      Frames.Frame frame;
      try {
        frame = Frames.read(in);
      } catch (EOFException e) {
        throw new IOException("the build server closed the connection before the command ended"
            + " (was it stopped?)", e);
      }
      switch (frame.type()) {
        case Frames.STDOUT -> stdout.write(frame.payload());
        case Frames.STDERR -> stderr.write(frame.payload());
        case Frames.STDIN_WANTED -> {
          if (!pumping) {
            pumping = true;
            // A daemon thread: when the command ends first, a read still blocked on a terminal
            // must not keep this process alive.
            Thread.ofPlatform().daemon().name("slipway-stdin").start(() -> {
              try {
                Frames.pump(stdin, writer);
              } catch (IOException e) {
                // The command ended, or the connection broke, which the main loop reports.
              }
            });
          }
        }
        case Frames.EXIT -> {
          stdout.flush();
          stderr.flush();
          return new Outcome.Exited(Frames.exitCode(frame.payload()));
        }
        case Frames.DECLINE -> {
          // The handler looked at the command and left it to this process before starting it.
          return new Outcome.Declined(new String(frame.payload(), StandardCharsets.UTF_8));
        }
        default -> throw new IOException("build server protocol: unexpected frame '"
            + (char) frame.type() + "' from the server");
      }
    }
  }

  /** Asks the server to describe itself (socket, pid, start, builds, code); writes it to {@code out}. */
  public void status(OutputStream out) throws IOException {
    control(Frames.STATUS, out);
  }

  /**
   * Asks the server to stop as SIGTERM would: it stops accepting builds at once, lets running
   * ones finish for its shutdown timeout and cancels the rest. Returns once the server has
   * agreed.
   */
  public void stop() throws IOException {
    control(Frames.STOP, OutputStream.nullOutputStream());
  }

  private void control(byte type, OutputStream out) throws IOException {
    writer.write(type, new byte[0]);
    DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
    while (true) {
      Frames.Frame frame;
      try {
        frame = Frames.read(in);
      } catch (EOFException e) {
        throw new IOException("the build server closed the connection without an answer", e);
      }
      switch (frame.type()) {
        case Frames.STDOUT -> out.write(frame.payload());
        case Frames.EXIT -> {
          out.flush();
          return;
        }
        case Frames.DECLINE -> throw new IOException(
            new String(frame.payload(), StandardCharsets.UTF_8));
        default -> throw new IOException("build server protocol: unexpected frame '"
            + (char) frame.type() + "' from the server");
      }
    }
  }

  /** Asks the server to cancel the command; the command still ends with an exit code. */
  public void cancel() {
    try {
      writer.write(Frames.CANCEL, new byte[0]);
    } catch (IOException e) {
      // The connection is gone, and with it the command.
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
