package io.slipway.cli.buildserver;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * A long-lived process's service of commands to short-lived clients over a Unix socket, so that
 * a command runs in a JVM whose code is already compiled and whose caches are warm: the build
 * server behind {@code slipway builder serve}. Each connection carries one command ({@link
 * Session}) and runs it on a virtual thread of its own; commands run concurrently.
 *
 * <p>One server per socket: a server holds a lock on {@code <socket>.lock} for its whole life, so
 * a second one refuses to start while the first runs, and a socket file nobody holds the lock of
 * is what a killed server left and is replaced. The lock file holds the server's pid.
 *
 * <p>Only the server's own user may connect: the socket file is made {@code rw-------}, and a
 * peer of another user (as the kernel reports it, {@code SO_PEERCRED}) is refused before it can
 * send anything. A client must send its request within {@link #REQUEST_DEADLINE}; one that goes
 * away mid-command cancels its command. Output to a client is written by a thread of the
 * connection's own ({@link ClientOutput}), so interrupts in a command never cut its client off.
 *
 * <p>{@link #close} stops accepting, removes the socket, declines requests that still arrive
 * (their clients run the command themselves), lets running commands finish for the drain time
 * given at start, then cancels the rest and waits for them to clean up; connections still open
 * after that (a client that stopped reading) are closed. A server that stays without
 * connections for its idle time closes itself. Safe for concurrent use.
 */
public final class BuildServer implements AutoCloseable {

  /**
   * Runs one client's command and returns its exit code. Called for several connections at once:
   * implementations must be safe for concurrent use.
   */
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
  static final Duration CANCEL_GRACE = Duration.ofSeconds(30);

  /** How long connections get to end once closed by force, at the very end of closing. */
  private static final Duration ABORT_GRACE = Duration.ofSeconds(5);

  private final Path socket;
  private final FileChannel lockFile;
  private final ServerSocketChannel channel;
  private final Handler handler;
  private final String identity;
  private final String owner;
  private final Duration drain;
  private final Duration requestDeadline;
  private final Duration cancelGrace;
  private final Consumer<String> log;
  private final Clock clock;
  private final Set<Session> running = ConcurrentHashMap.newKeySet();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timers;
  /** When the last connection ended, or the server started; nanoTime. */
  private volatile long lastActivity = System.nanoTime();
  private final CountDownLatch closed = new CountDownLatch(1);
  /** Counted down once the socket no longer accepts and its file is gone. */
  private final CountDownLatch released = new CountDownLatch(1);
  private final Instant startedAt;
  private final AtomicLong served = new AtomicLong();
  private final AtomicBoolean idleClosing = new AtomicBoolean();
  private final Object closing = new Object();
  private volatile boolean closeStarted;

  private BuildServer(Path socket, FileChannel lockFile, ServerSocketChannel channel,
      Handler handler, String owner, Duration drain, Duration requestDeadline,
      Duration cancelGrace, Consumer<String> log, Clock clock) {
    this.socket = socket;
    this.lockFile = lockFile;
    this.channel = channel;
    this.handler = handler;
    this.identity = BuildIdentity.current();
    this.owner = owner;
    this.drain = drain;
    this.requestDeadline = requestDeadline;
    this.cancelGrace = cancelGrace;
    this.log = log;
    this.clock = clock;
    this.startedAt = clock.instant();
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
    return start(socket, handler, idleTimeout, drain, REQUEST_DEADLINE, CANCEL_GRACE, log);
  }

  /**
   * As {@link #start(Path, Handler, Duration, Duration, Consumer)}, with a request deadline and
   * the time cancelled commands get when closing.
   */
  static BuildServer start(Path socket, Handler handler, Duration idleTimeout, Duration drain,
      Duration requestDeadline, Duration cancelGrace, Consumer<String> log) throws IOException {
    Path absolute = socket.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    FileChannel lockFile = FileChannel.open(absolute.resolveSibling(absolute.getFileName() + ".lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    ServerSocketChannel channel = null;
    try {
      if (!lock(lockFile)) {
        throw new IOException("a build server already serves " + absolute
            + "; stop it first (slipway builder stop, or SIGTERM), or serve another --root");
      }
      // The pid lets the launcher tell a live server's socket from one a killed server left,
      // without connecting: it picks the class archive before any Java runs.
      lockFile.truncate(0);
      lockFile.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
          .getBytes(StandardCharsets.US_ASCII)));
      if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
        // What a killed server leaves: the lock is ours, so nobody serves it any more.
        Files.delete(absolute);
      }
      channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      channel.bind(UnixDomainSocketAddress.of(absolute));
      Files.setPosixFilePermissions(absolute, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
        Files.deleteIfExists(absolute);
      }
      lockFile.close();
      throw e;
    }
    String owner = Files.getOwner(absolute, LinkOption.NOFOLLOW_LINKS).getName();
    BuildServer server = new BuildServer(absolute, lockFile, channel, handler, owner, drain,
        requestDeadline, cancelGrace, log, Clock.systemUTC());
    Thread.ofPlatform().name("slipway-builder-accept").start(server::acceptLoop);
    if (!idleTimeout.isZero()) {
      long period = Math.max(100, Math.min(idleTimeout.toMillis() / 4, 5_000));
      server.timers.scheduleWithFixedDelay(
          () -> server.closeWhenIdle(idleTimeout), period, period, TimeUnit.MILLISECONDS);
    }
    return server;
  }

  /** Takes the server lock; false when another server (of this process or another) holds it. */
  private static boolean lock(FileChannel lockFile) throws IOException {
    try {
      return lockFile.tryLock() != null;
    } catch (OverlappingFileLockException e) {
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
      // Counted before it starts, so that an idle check never misses a connection just taken.
      threads.add(thread);
      connections.add(connection);
      thread.start();
    }
  }

  private void serve(SocketChannel connection) {
    Instant started = clock.instant();
    ClientOutput output =
        new ClientOutput(new Frames.Writer(Channels.newOutputStream(connection)));
    try (connection) {
      try {
        converse(connection, output, started);
      } finally {
        // Everything queued reaches the client before the connection closes.
        output.finish();
      }
    } catch (IOException e) {
      log.accept("connection failed: " + e.getMessage());
    } finally {
      connections.remove(connection);
      lastActivity = System.nanoTime();
      threads.remove(Thread.currentThread());
    }
  }

  private void converse(SocketChannel connection, ClientOutput output, Instant started)
      throws IOException {
    String peer = peerUser(connection);
    if (!owner.equals(peer)) {
      log.accept("refused a client of user " + peer + " (this server serves " + owner + ")");
      output.sendFinal(Frames.DECLINE, utf8("this build server serves user " + owner + " only"));
      return;
    }
    DataInputStream in = new DataInputStream(Channels.newInputStream(connection));
    Frames.Frame first = readFirst(connection, in);
    if (first == null) {
      return;
    }
    switch (first.type()) {
      case Frames.REQUEST -> {
        BuildServerRequest request;
        try {
          request = BuildServerRequest.decode(first.payload());
        } catch (IOException e) {
          // Declined rather than dropped: the client says why and builds itself.
          log.accept("declined a request it cannot read: " + e.getMessage());
          output.sendFinal(Frames.DECLINE, utf8("the build server cannot read this request ("
              + e.getMessage() + "); restart it with this build of Slipway"));
          return;
        }
        runCommand(request, in, output, started);
      }
      case Frames.STATUS -> {
        output.sendFinal(Frames.STDOUT, utf8(status()));
        output.sendFinalInt(Frames.EXIT, 0);
      }
      case Frames.STOP -> {
        log.accept("stop asked by a client");
        // Not on this thread: closing waits for every connection's thread, this one too.
        Thread.ofPlatform().name("slipway-builder-stop").start(this::close);
        // Answered once the socket is gone, so that a new server can start right after.
        awaitUninterruptibly(released);
        output.sendFinalInt(Frames.EXIT, 0);
      }
      default -> throw new IOException("build server protocol: a connection cannot start with"
          + " frame '" + (char) first.type() + "'");
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
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

  private void runCommand(BuildServerRequest request, DataInputStream in, ClientOutput output,
      Instant started) throws IOException {
    if (!request.build().equals(identity)) {
      output.sendFinal(Frames.DECLINE, utf8("the build server runs other Slipway code ("
          + identity + "); restart it with this build (" + request.build() + ")"));
      return;
    }
    Session session = new Session(request, output);
    synchronized (closing) {
      // Checked under the lock close() sets it with: a command either counts as running for the
      // drain, or is declined.
      if (closeStarted) {
        output.sendFinal(Frames.DECLINE, utf8("the build server is stopping"));
        return;
      }
      running.add(session);
    }
    output.sendFinal(Frames.ACCEPTED, new byte[0]);
    Thread.ofVirtual().name("slipway-builder-reader").start(() -> readClient(in, session));
    int code;
    try {
      code = handler.run(session);
    } catch (Declined e) {
      output.sendFinal(Frames.DECLINE, utf8(e.getMessage()));
      log.accept("declined a command from " + request.workingDirectory() + ": "
          + e.getMessage());
      return;
    } catch (Exception | Error e) {
      code = 1;
      String message = "slipway builder: internal error: " + e + "\n";
      try {
        session.stderr().write(utf8(message));
      } catch (IOException gone) {
        // The client is gone; the log has it.
      }
      log.accept(message.strip());
      if (e instanceof VirtualMachineError fatal) {
        // Out of memory, or worse: the JVM is not fit to serve more builds.
        throw fatal;
      }
    } finally {
      running.remove(session);
      session.stopInput();
    }
    try {
      output.sendFinalInt(Frames.EXIT, code);
    } catch (IOException e) {
      // The client left before the end; its command was cancelled.
    }
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
    if (!closeStarted && threads.isEmpty()
        && System.nanoTime() - lastActivity >= idleTimeout.toNanos()
        // Once: the next tick may come before the close has begun.
        && idleClosing.compareAndSet(false, true)) {
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
      // The socket is gone: a new server may take the root.
      lockFile.close();
    } catch (IOException e) {
      log.accept("could not release " + socket + ".lock: " + e.getMessage());
    }
    released.countDown();
    try {
      if (!awaitThreads(drain)) {
        log.accept("cancelling " + running.size() + " running build(s) after the drain time of "
            + drain.toSeconds() + " s");
        running.forEach(Session::cancel);
        if (!awaitThreads(cancelGrace)) {
          // What is left waits on its client (one that stopped reading), or cleans up slowly.
          log.accept(threads.size() + " connection(s) still open after "
              + cancelGrace.toSeconds() + " s: closing them; the next start sweeps what"
              + " their builds leave");
          for (SocketChannel connection : connections) {
            try {
              connection.close();
            } catch (IOException e) {
              // Closing is all that was wanted.
            }
          }
          awaitThreads(ABORT_GRACE);
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
