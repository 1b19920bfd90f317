package io.slipway.cli.buildserver;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * A long-lived process's service of commands to short-lived clients over a Unix socket, so that
 * a command runs in a JVM whose code is already compiled and whose caches are warm: the build
 * server behind {@code slipway builder serve}. Each connection carries one command ({@link
 * Session}) and runs it on a virtual thread of its own; commands run concurrently.
 *
 * <p>Only the server's own user may connect: the socket file is made {@code rw-------}, and a
 * peer of another user (as the kernel reports it, {@code SO_PEERCRED}) is refused before it can
 * send anything. A client must send its request within {@link #REQUEST_DEADLINE}; one that goes
 * away mid-command cancels its command.
 *
 * <p>{@link #close} stops accepting, removes the socket, lets running commands finish for the
 * drain time given at start, then cancels the rest and waits for them to clean up. A server that
 * stays without commands for its idle time closes itself. Safe for concurrent use.
 */
public final class BuildServer implements AutoCloseable {

  /** Runs one client's command and returns its exit code. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Runs the command.
     *
     * @throws Declined before writing anything, when the client should run the command itself
     */
    int run(Session session) throws Exception;
  }

  /** A command the server leaves to its client, with the reason the client may print. */
  public static final class Declined extends Exception {
    private static final long serialVersionUID = 1L;

    public Declined(String reason) {
      super(reason);
    }
  }

  /** How long a connected client has to send its request. */
  static final Duration REQUEST_DEADLINE = Duration.ofSeconds(10);

  /** How long cancelled commands get to clean up (kill containers, unmount) when closing. */
  private static final Duration CANCEL_GRACE = Duration.ofSeconds(30);

  private final Path socket;
  private final ServerSocketChannel channel;
  private final Handler handler;
  private final String identity;
  private final String owner;
  private final Duration drain;
  private final Duration requestDeadline;
  private final Consumer<String> log;
  private final Clock clock;
  private final Set<Session> running = ConcurrentHashMap.newKeySet();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timers;
  private final AtomicReference<Instant> idleSince;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Instant startedAt;
  private final java.util.concurrent.atomic.AtomicLong served =
      new java.util.concurrent.atomic.AtomicLong();
  private final Object closing = new Object();
  private boolean closeStarted;

  private BuildServer(Path socket, ServerSocketChannel channel, Handler handler, String owner,
      Duration drain, Duration requestDeadline, Consumer<String> log, Clock clock) {
    this.socket = socket;
    this.channel = channel;
    this.handler = handler;
    this.identity = BuildIdentity.current();
    this.owner = owner;
    this.drain = drain;
    this.requestDeadline = requestDeadline;
    this.log = log;
    this.clock = clock;
    this.startedAt = clock.instant();
    this.idleSince = new AtomicReference<>(startedAt);
    this.timers = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name("slipway-builder-timer").factory());
  }

  /**
   * Binds {@code socket} and starts serving.
   *
   * @param idleTimeout how long the server may stay without commands before it closes itself;
   *     zero for never
   * @param drain how long {@link #close} lets running commands finish before cancelling them
   * @param log receives one line per command and per lifecycle event
   * @throws IOException when another server answers on {@code socket}, or it cannot be bound
   */
  public static BuildServer start(Path socket, Handler handler, Duration idleTimeout,
      Duration drain, Consumer<String> log) throws IOException {
    return start(socket, handler, idleTimeout, drain, REQUEST_DEADLINE, log);
  }

  /** As {@link #start(Path, Handler, Duration, Duration, Consumer)}, with a request deadline. */
  static BuildServer start(Path socket, Handler handler, Duration idleTimeout, Duration drain,
      Duration requestDeadline, Consumer<String> log) throws IOException {
    Path absolute = socket.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    if (Files.exists(absolute, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      if (answers(absolute)) {
        throw new IOException("a build server already serves " + absolute
            + "; stop it first (SIGTERM), or serve another --root");
      }
      // What a killed server leaves: nobody listens there any more.
      Files.delete(absolute);
    }
    ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.bind(UnixDomainSocketAddress.of(absolute));
      Files.setPosixFilePermissions(absolute, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException | RuntimeException e) {
      channel.close();
      Files.deleteIfExists(absolute);
      throw e;
    }
    String owner = Files.getOwner(absolute, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName();
    BuildServer server = new BuildServer(absolute, channel, handler, owner, drain,
        requestDeadline, log, Clock.systemUTC());
    Thread.ofPlatform().name("slipway-builder-accept").start(server::acceptLoop);
    if (!idleTimeout.isZero()) {
      long period = Math.max(100, Math.min(idleTimeout.toMillis() / 4, 5_000));
      server.timers.scheduleWithFixedDelay(
          () -> server.closeWhenIdle(idleTimeout), period, period, TimeUnit.MILLISECONDS);
    }
    return server;
  }

  /** Whether a server accepts connections on {@code socket}. */
  static boolean answers(Path socket) {
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      return probe.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  /** The socket this server listens on. */
  public Path socket() {
    return socket;
  }

  /** Waits until the server has closed (by {@link #close}, or idle). */
  public void awaitClosed() throws InterruptedException {
    closed.await();
  }

  private void acceptLoop() {
    while (true) {
      SocketChannel connection;
      try {
        connection = channel.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log.accept("accept failed: " + e.getMessage());
        if (!channel.isOpen()) {
          return;
        }
        continue;
      }
      Thread thread = Thread.ofVirtual().name("slipway-builder-session").unstarted(
          () -> serve(connection));
      threads.add(thread);
      thread.start();
    }
  }

  private void serve(SocketChannel connection) {
    Instant started = clock.instant();
    try (connection) {
      Frames.Writer writer = new Frames.Writer(Channels.newOutputStream(connection));
      String peer = peerUser(connection);
      if (!owner.equals(peer)) {
        log.accept("refused a client of user " + peer + " (this server serves " + owner + ")");
        writer.write(Frames.DECLINE, ("this build server serves user " + owner + " only")
            .getBytes(StandardCharsets.UTF_8));
        return;
      }
      DataInputStream in = new DataInputStream(Channels.newInputStream(connection));
      Frames.Frame first = readFirst(connection, in);
      if (first == null) {
        return;
      }
      switch (first.type()) {
        case Frames.REQUEST -> runCommand(BuildServerRequest.decode(first.payload()), in, writer,
            started);
        case Frames.STATUS -> {
          writer.write(Frames.STDOUT, status().getBytes(StandardCharsets.UTF_8));
          writer.writeInt(Frames.EXIT, 0);
        }
        case Frames.STOP -> {
          log.accept("stop asked by a client");
          writer.writeInt(Frames.EXIT, 0);
          // Not on this thread: closing waits for every connection's thread, this one too.
          Thread.ofPlatform().name("slipway-builder-stop").start(this::close);
        }
        default -> throw new IOException("build server protocol: a connection cannot start with"
            + " frame '" + (char) first.type() + "'");
      }
    } catch (IOException e) {
      log.accept("connection failed: " + e.getMessage());
    } finally {
      threads.remove(Thread.currentThread());
    }
  }

  /** What {@code slipway builder status} prints. */
  private String status() {
    return "socket: " + socket + "\n"
        + "pid: " + ProcessHandle.current().pid() + "\n"
        + "started: " + startedAt + "\n"
        + "builds running: " + running.size() + "\n"
        + "builds served: " + served.get() + "\n"
        + "code: " + identity + "\n";
  }

  private void runCommand(BuildServerRequest request, DataInputStream in, Frames.Writer writer,
      Instant started) throws IOException {
    if (!request.build().equals(identity)) {
      writer.write(Frames.DECLINE, ("the build server runs other Slipway code (" + identity
          + "); restart it with this build (" + request.build() + ")")
          .getBytes(StandardCharsets.UTF_8));
      return;
    }
    Session session = new Session(request, writer);
    running.add(session);
    idleSince.set(null);
    Thread reader = Thread.ofVirtual().name("slipway-builder-reader").start(
        () -> readClient(in, session));
    int code;
    try {
      code = handler.run(session);
    } catch (Declined e) {
      writer.write(Frames.DECLINE, e.getMessage().getBytes(StandardCharsets.UTF_8));
      log.accept("declined a command from " + request.workingDirectory() + ": "
          + e.getMessage());
      return;
    } catch (Exception | Error e) {
      code = 1;
      String message = "slipway builder: internal error: " + e + "\n";
      try {
        session.stderr().write(message.getBytes(StandardCharsets.UTF_8));
      } catch (IOException gone) {
        // The client is gone; the log has it.
      }
      log.accept(message.strip());
    } finally {
      running.remove(session);
      if (running.isEmpty()) {
        idleSince.compareAndSet(null, clock.instant());
      }
    }
    try {
      writer.writeInt(Frames.EXIT, code);
    } catch (IOException e) {
      // The client left before the end; its command was cancelled.
    }
    reader.interrupt();
    served.incrementAndGet();
    log.accept("build in " + request.workingDirectory() + ": exit " + code + " after "
        + Duration.between(started, clock.instant()).toMillis() + " ms"
        + (session.cancelled() ? " (cancelled)" : ""));
  }

  /** The connection's first frame, or null when the client hung up or said nothing in time. */
  private Frames.Frame readFirst(SocketChannel connection, DataInputStream in)
      throws IOException {
    // A client that connects and says nothing must not hold a thread forever.
    var deadline = timers.schedule(() -> {
      try {
        connection.close();
      } catch (IOException e) {
        // Closing is all that was wanted.
      }
    }, requestDeadline.toMillis(), TimeUnit.MILLISECONDS);
    try {
      return Frames.read(in);
    } catch (EOFException e) {
      // A probe (another server checking whether this one answers) connects and hangs up.
      return null;
    } catch (ClosedChannelException e) {
      log.accept("a client connected but sent no request within "
          + requestDeadline.toMillis() + " ms");
      return null;
    } finally {
      deadline.cancel(false);
    }
  }

  private void readClient(DataInputStream in, Session session) {
    try {
      while (true) {
        Frames.Frame frame = Frames.read(in);
        switch (frame.type()) {
          case Frames.CANCEL -> session.cancel();
          case Frames.STDIN -> session.deliverInput(frame.payload());
          case Frames.STDIN_END -> session.endInput();
          default -> throw new IOException("build server protocol: unexpected frame '"
              + (char) frame.type() + "' from the client");
        }
      }
    } catch (IOException e) {
      // The client is gone (or broke the protocol): what it started is cancelled, and a read
      // of its input ends.
      session.endInput();
      session.cancel();
    }
  }

  private static String peerUser(SocketChannel connection) throws IOException {
    UnixDomainPrincipal principal = connection.getOption(ExtendedSocketOptions.SO_PEERCRED);
    return principal.user().getName();
  }

  private void closeWhenIdle(Duration idleTimeout) {
    Instant since = idleSince.get();
    if (since != null && running.isEmpty()
        && Duration.between(since, clock.instant()).compareTo(idleTimeout) >= 0) {
      log.accept("idle for " + idleTimeout.toSeconds() + " s: stopping");
      Thread.ofPlatform().name("slipway-builder-idle-close").start(this::close);
    }
  }

  /**
   * Stops accepting and removes the socket; running commands get the drain time to finish, then
   * are cancelled and given time to clean up. Returns when every command has ended (or the clean-up
   * time ran out). Closing twice waits for the first.
   */
  @Override
  public void close() {
    synchronized (closing) {
      if (closeStarted) {
        try {
          closed.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      closeStarted = true;
    }
    try {
      channel.close();
    } catch (IOException e) {
      log.accept("closing the socket failed: " + e.getMessage());
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      log.accept("could not remove " + socket + ": " + e.getMessage());
    }
    try {
      if (!awaitThreads(drain)) {
        log.accept("cancelling " + running.size() + " running build(s) after the drain time of "
            + drain.toSeconds() + " s");
        running.forEach(Session::cancel);
        if (!awaitThreads(CANCEL_GRACE)) {
          log.accept(threads.size() + " build(s) still cleaning up after "
              + CANCEL_GRACE.toSeconds() + " s; the next start sweeps what they leave");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      timers.shutdownNow();
      closed.countDown();
    }
  }

  private boolean awaitThreads(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    for (Thread thread : Set.copyOf(threads)) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
        return threads.isEmpty();
      }
    }
    return threads.isEmpty() || awaitThreads(Duration.ofNanos(Math.max(0,
        deadline - System.nanoTime())));
  }
}
