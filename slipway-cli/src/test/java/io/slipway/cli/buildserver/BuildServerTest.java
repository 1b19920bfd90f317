package io.slipway.cli.buildserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build server's transport, with handlers that stand in for a build. */
class BuildServerTest {
  @TempDir Path dir;

  private final List<String> log = new CopyOnWriteArrayList<>();
  private BuildServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private Path socket() {
    return dir.resolve("builder.sock");
  }

  private BuildServer start(BuildServer.Handler handler) throws IOException {
    server = BuildServer.start(socket(), handler, Duration.ZERO, Duration.ofSeconds(5), log::add);
    return server;
  }

  private BuildServerRequest request(String... arguments) {
    return new BuildServerRequest(BuildIdentity.current(), List.of(arguments), dir,
        Map.of("HOME", "/home/someone"), false, 0);
  }

  /** What a client saw of one command. */
  private record Seen(BuildServerClient.Outcome outcome, String out, String err) {}

  private Seen send(BuildServerRequest request, InputStream stdin) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (BuildServerClient client = BuildServerClient.connect(socket()).orElseThrow()) {
      BuildServerClient.Outcome outcome = client.run(request, stdin, out, err,
          BuildServerClient.ANSWER_DEADLINE);
      return new Seen(outcome, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    }
  }

  private Seen send(BuildServerRequest request) throws IOException {
    return send(request, InputStream.nullInputStream());
  }

  @Test
  void doesRelayOutputAndExitCodeWhenCommandRuns() throws Exception {
    start(session -> {
      session.stdout().write(("args " + session.request().arguments() + " in "
          + session.request().workingDirectory()).getBytes(StandardCharsets.UTF_8));
      session.stderr().write("progress".getBytes(StandardCharsets.UTF_8));
      // Larger than one frame's chunk: it arrives whole and in order.
      session.stdout().write("x".repeat(Frames.CHUNK * 2 + 7).getBytes(StandardCharsets.UTF_8));
      return 3;
    });
    Seen seen = send(request("-t", "app:1", "."));
    assertThat(seen.outcome()).isEqualTo(new BuildServerClient.Outcome.Exited(3));
    assertThat(seen.out()).startsWith("args [-t, app:1, .] in " + dir)
        .endsWith("x".repeat(Frames.CHUNK * 2 + 7));
    assertThat(seen.err()).isEqualTo("progress");
  }

  @Test
  void doesMakeSocketReadableByItsUserOnlyWhenStarted() throws Exception {
    start(session -> 0);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket())))
        .isEqualTo("rw-------");
  }

  @Test
  void doesSendClientInputOnlyWhenCommandReadsIt() throws Exception {
    start(session -> {
      String text = new String(session.stdin().readAllBytes(), StandardCharsets.UTF_8);
      session.stdout().write(text.toUpperCase(java.util.Locale.ROOT)
          .getBytes(StandardCharsets.UTF_8));
      return 0;
    });
    Seen seen = send(request("-f", "-"), new ByteArrayInputStream(
        "from busybox\n".repeat(10_000).getBytes(StandardCharsets.UTF_8)));
    assertThat(seen.out()).isEqualTo("FROM BUSYBOX\n".repeat(10_000));

    // A command that never reads its input never asks for it: a client whose input would block
    // forever still gets its exit code.
    server.close();
    start(session -> 0);
    InputStream never = new InputStream() {
      @Override
      public int read() {
        throw new AssertionError("the client's input was read");
      }
    };
    assertThat(send(request(), never).outcome()).isEqualTo(new BuildServerClient.Outcome.Exited(0));
  }

  @Test
  void doesCancelCommandWhenClientAsks() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    start(session -> {
      CountDownLatch cancelled = new CountDownLatch(1);
      AutoCloseable hook = session.onCancel(cancelled::countDown);
      try {
        running.countDown();
        if (!cancelled.await(30, TimeUnit.SECONDS)) {
          return 99;
        }
      } finally {
        hook.close();
      }
      session.stderr().write("cancelled".getBytes(StandardCharsets.UTF_8));
      return 130;
    });
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (BuildServerClient client = BuildServerClient.connect(socket()).orElseThrow()) {
      CompletableFuture<BuildServerClient.Outcome> outcome = CompletableFuture.supplyAsync(() -> {
        try {
          return client.run(request(), InputStream.nullInputStream(),
              new ByteArrayOutputStream(), err, BuildServerClient.ANSWER_DEADLINE);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      client.cancel();
      assertThat(outcome.get(10, TimeUnit.SECONDS))
          .isEqualTo(new BuildServerClient.Outcome.Exited(130));
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("cancelled");
  }

  @Test
  void doesCancelCommandWhenClientGoesAway() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CompletableFuture<String> ended = new CompletableFuture<>();
    start(session -> {
      CountDownLatch cancelled = new CountDownLatch(1);
      AutoCloseable hook = session.onCancel(cancelled::countDown);
      try {
        running.countDown();
        ended.complete(cancelled.await(30, TimeUnit.SECONDS) ? "cancelled" : "timed out");
      } finally {
        hook.close();
      }
      return 130;
    });
    try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
      new Frames.Writer(java.nio.channels.Channels.newOutputStream(raw))
          .write(Frames.REQUEST, request().encode());
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(ended.get(10, TimeUnit.SECONDS)).isEqualTo("cancelled");
  }

  @Test
  void doesDeclineWhenClientRunsOtherCode() throws Exception {
    start(session -> {
      throw new AssertionError("ran a command of other code");
    });
    BuildServerRequest other = new BuildServerRequest("/elsewhere/slipway.jar 1 2", List.of(),
        dir, Map.of(), false, 0);
    assertThat(send(other).outcome())
        .isInstanceOfSatisfying(BuildServerClient.Outcome.Declined.class,
            declined -> assertThat(declined.reason())
                .contains("runs other Slipway code", "/elsewhere/slipway.jar"));
  }

  @Test
  void doesDeclineWhenHandlerLeavesCommandToClient() throws Exception {
    start(session -> {
      throw new BuildServer.Declined("the build server serves /a, not /b");
    });
    assertThat(send(request()).outcome())
        .isEqualTo(new BuildServerClient.Outcome.Declined("the build server serves /a, not /b"));
  }

  @Test
  void doesReportHandlerFailureToClientAndServeNextCommand() throws Exception {
    start(session -> {
      if (session.request().arguments().contains("fail")) {
        throw new IllegalStateException("broken");
      }
      return 0;
    });
    Seen failed = send(request("fail"));
    assertThat(failed.outcome()).isEqualTo(new BuildServerClient.Outcome.Exited(1));
    assertThat(failed.err()).contains("internal error", "broken");
    assertThat(send(request()).outcome()).isEqualTo(new BuildServerClient.Outcome.Exited(0));
  }

  @Test
  void doesRunCommandsConcurrently() throws Exception {
    CountDownLatch both = new CountDownLatch(2);
    start(session -> {
      both.countDown();
      return both.await(10, TimeUnit.SECONDS) ? 0 : 1;
    });
    CompletableFuture<Seen> first = CompletableFuture.supplyAsync(() -> {
      try {
        return send(request());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(send(request()).outcome()).isEqualTo(new BuildServerClient.Outcome.Exited(0));
    assertThat(first.get(10, TimeUnit.SECONDS).outcome())
        .isEqualTo(new BuildServerClient.Outcome.Exited(0));
  }

  @Test
  void doesRefuseToStartWhenAnotherServerAnswers() throws Exception {
    start(session -> 0);
    assertThatThrownBy(() -> BuildServer.start(socket(), session -> 0, Duration.ZERO,
        Duration.ZERO, log::add))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("a build server already serves " + socket());
    assertThat(send(request()).outcome()).isEqualTo(new BuildServerClient.Outcome.Exited(0));
  }

  @Test
  void doesReplaceSocketWhenItsServerIsGone() throws Exception {
    // What a killed server leaves: a socket file nobody listens on.
    try (ServerSocketChannel dead = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(socket()));
    }
    assertThat(socket()).exists();
    assertThat(BuildServerClient.connect(socket())).as("a client of the dead socket").isEmpty();
    start(session -> 7);
    assertThat(send(request()).outcome()).isEqualTo(new BuildServerClient.Outcome.Exited(7));
  }

  @Test
  void doesFindNoServerWhenSocketIsMissing() {
    assertThat(BuildServerClient.connect(socket())).isEmpty();
  }

  @Test
  void doesStopAndRemoveSocketWhenIdle() throws Exception {
    server = BuildServer.start(socket(), session -> 0, Duration.ofMillis(300), Duration.ZERO,
        log::add);
    assertThat(send(request()).outcome()).isEqualTo(new BuildServerClient.Outcome.Exited(0));
    CompletableFuture.runAsync(() -> {
      try {
        server.awaitClosed();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }).get(10, TimeUnit.SECONDS);
    assertThat(socket()).doesNotExist();
    assertThat(log).anyMatch(line -> line.startsWith("idle for"));
  }

  @Test
  void doesNotStopForIdlenessWhileCommandRuns() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server = BuildServer.start(socket(), session -> release.await(30, TimeUnit.SECONDS) ? 0 : 1,
        Duration.ofMillis(200), Duration.ZERO, log::add);
    CompletableFuture<Seen> running = CompletableFuture.supplyAsync(() -> {
      try {
        return send(request());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    Thread.sleep(1_000);
    assertThat(socket()).as("socket while a command runs past the idle time").exists();
    release.countDown();
    assertThat(running.get(10, TimeUnit.SECONDS).outcome())
        .isEqualTo(new BuildServerClient.Outcome.Exited(0));
  }

  @Test
  void doesLetRunningCommandFinishThenCancelTheRestWhenClosed() throws Exception {
    CountDownLatch running = new CountDownLatch(2);
    server = BuildServer.start(socket(), session -> {
      boolean quick = session.request().arguments().contains("quick");
      CountDownLatch cancelled = new CountDownLatch(1);
      AutoCloseable hook = session.onCancel(cancelled::countDown);
      try {
        running.countDown();
        if (quick) {
          Thread.sleep(300);
          return 0;
        }
        return cancelled.await(30, TimeUnit.SECONDS) ? 130 : 1;
      } finally {
        hook.close();
      }
    }, Duration.ZERO, Duration.ofSeconds(1), log::add);
    CompletableFuture<Seen> quick = CompletableFuture.supplyAsync(() -> sendUnchecked("quick"));
    CompletableFuture<Seen> slow = CompletableFuture.supplyAsync(() -> sendUnchecked("slow"));
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    long start = System.nanoTime();
    server.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    assertThat(socket()).doesNotExist();
    assertThat(quick.get(10, TimeUnit.SECONDS).outcome())
        .isEqualTo(new BuildServerClient.Outcome.Exited(0));
    assertThat(slow.get(10, TimeUnit.SECONDS).outcome())
        .isEqualTo(new BuildServerClient.Outcome.Exited(130));
  }

  @Test
  void doesDescribeItselfWhenAskedForStatus() throws Exception {
    start(session -> 0);
    send(request());
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    try (BuildServerClient client = BuildServerClient.connect(socket()).orElseThrow()) {
      client.status(answer);
    }
    assertThat(answer.toString(StandardCharsets.UTF_8))
        .contains("socket: " + socket(), "pid: " + ProcessHandle.current().pid(),
            "builds running: 0", "builds served: 1", "code: " + BuildIdentity.current());
  }

  @Test
  void doesStopAndRemoveSocketWhenAskedToStop() throws Exception {
    start(session -> 0);
    try (BuildServerClient client = BuildServerClient.connect(socket()).orElseThrow()) {
      client.stop();
    }
    CompletableFuture.runAsync(() -> {
      try {
        server.awaitClosed();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }).get(10, TimeUnit.SECONDS);
    assertThat(socket()).doesNotExist();
    assertThat(BuildServerClient.connect(socket())).isEmpty();
  }

  @Test
  void doesLogNothingWhenAClientConnectsAndHangsUp() throws Exception {
    start(session -> 0);
    SocketChannel.open(UnixDomainSocketAddress.of(socket())).close();
    assertThat(send(request()).outcome()).isEqualTo(new BuildServerClient.Outcome.Exited(0));
    assertThat(log).noneMatch(line -> line.contains("no request"));
  }

  @Test
  void doesDropClientThatSendsNoRequestWithinDeadline() throws Exception {
    server = BuildServer.start(socket(), session -> 0, Duration.ZERO, Duration.ZERO,
        Duration.ofMillis(200), BuildServer.CANCEL_GRACE, log::add);
    try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(1);
      // The server closes its end: the read sees the end of the stream.
      assertThat(CompletableFuture.supplyAsync(() -> {
        try {
          return silent.read(buffer);
        } catch (IOException e) {
          return -2;
        }
      }).get(10, TimeUnit.SECONDS)).isEqualTo(-1);
    }
    assertThat(send(request()).outcome()).isEqualTo(new BuildServerClient.Outcome.Exited(0));
    // Closing waits for every connection's thread, so the dropped one has logged by then.
    server.close();
    assertThat(log).anyMatch(line -> line.contains("sent no request"));
  }

  @Test
  void doesFailClientClearlyWhenServerDiesMidCommand() throws Exception {
    // A stand-in server that takes the request and closes without an exit frame.
    assertThat(fakeServer(true)).isInstanceOf(IOException.class)
        .hasMessageContaining("closed the connection before the command ended");
  }

  @Test
  void doesLeaveCommandToClientWhenServerClosesBeforeTakingIt() throws Exception {
    // What a server that is stopping does to a connection it accepted but will not serve.
    assertThat(fakeServer(false)).isNull();
  }

  @Test
  void doesLeaveCommandToClientWhenServerDoesNotAnswerInTime() throws Exception {
    Files.deleteIfExists(socket());
    try (ServerSocketChannel wedged =
            ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        BuildServerClient client = connectAfterBinding(wedged)) {
      BuildServerClient.Outcome outcome = client.run(request(), InputStream.nullInputStream(),
          new ByteArrayOutputStream(), new ByteArrayOutputStream(), Duration.ofMillis(300));
      assertThat(outcome).isEqualTo(
          new BuildServerClient.Outcome.Declined("the build server did not answer within 300 ms"));
    }
  }

  private BuildServerClient connectAfterBinding(ServerSocketChannel server) throws IOException {
    server.bind(UnixDomainSocketAddress.of(socket()));
    return BuildServerClient.connect(socket()).orElseThrow();
  }

  /**
   * Runs a request against a stand-in server that reads it, sends {@link Frames#ACCEPTED} if
   * {@code accept}, and closes; the client's failure, or null when it was told to run the command
   * itself.
   */
  private Throwable fakeServer(boolean accept) throws Exception {
    Files.deleteIfExists(socket());
    try (ServerSocketChannel fake = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      fake.bind(UnixDomainSocketAddress.of(socket()));
      CompletableFuture.runAsync(() -> {
        try (SocketChannel accepted = fake.accept()) {
          Frames.read(new java.io.DataInputStream(
              java.nio.channels.Channels.newInputStream(accepted)));
          if (accept) {
            new Frames.Writer(java.nio.channels.Channels.newOutputStream(accepted))
                .write(Frames.ACCEPTED, new byte[0]);
          }
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      try {
        BuildServerClient.Outcome outcome = send(request()).outcome();
        assertThat(outcome).isInstanceOf(BuildServerClient.Outcome.Declined.class);
        assertThat(((BuildServerClient.Outcome.Declined) outcome).reason())
            .startsWith("the build server closed the connection before taking the build");
        return null;
      } catch (IOException e) {
        return e;
      }
    }
  }


  private Seen sendUnchecked(String... arguments) {
    try {
      return send(request(arguments));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void doesKeepClientConnectedWhenCommandThreadIsInterrupted() throws Exception {
    // A build interrupts its own threads (cancellation, the live display ending); a socket
    // channel written by an interrupted thread would close itself.
    start(session -> {
      Thread.currentThread().interrupt();
      session.stderr().write("after the interrupt".getBytes(StandardCharsets.UTF_8));
      return 130;
    });
    Seen seen = send(request());
    assertThat(seen.outcome()).isEqualTo(new BuildServerClient.Outcome.Exited(130));
    assertThat(seen.err()).isEqualTo("after the interrupt");
  }

  @Test
  void doesBoundInputTheCommandHasNotReadYet() throws Exception {
    int size = Session.MAX_QUEUED_INPUT * 8;
    CountDownLatch reading = new CountDownLatch(1);
    start(session -> {
      // One byte first: the input is asked for, then the client sends while nothing is read.
      session.stdin().read();
      reading.countDown();
      Thread.sleep(300);
      byte[] rest = session.stdin().readAllBytes();
      session.stdout().write(String.valueOf(rest.length + 1).getBytes(StandardCharsets.UTF_8));
      return 0;
    });
    Seen seen = send(request("-f", "-"), new ByteArrayInputStream(new byte[size]));
    assertThat(reading.getCount()).isZero();
    assertThat(seen.out()).isEqualTo(String.valueOf(size));
  }

  @Test
  void doesCloseInBoundedTimeWhenClientStopsReadingItsOutput() throws Exception {
    server = BuildServer.start(socket(), session -> {
      byte[] line = "progress line\n".repeat(100).getBytes(StandardCharsets.UTF_8);
      while (!session.cancelled()) {
        session.stderr().write(line);
      }
      return 130;
    }, Duration.ZERO, Duration.ZERO, BuildServer.REQUEST_DEADLINE, Duration.ofMillis(300),
        log::add);
    try (SocketChannel stalled = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
      // Sends its request, then reads nothing: a suspended client.
      new Frames.Writer(java.nio.channels.Channels.newOutputStream(stalled))
          .write(Frames.REQUEST, request().encode());
      Thread.sleep(300);
      long started = System.nanoTime();
      Thread closing = Thread.ofPlatform().start(server::close);
      assertThat(closing.join(Duration.ofSeconds(20))).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }
    assertThat(log).anyMatch(line -> line.contains("still open after 0 s: closing them"));
  }

  @Test
  void doesLetNewServerStartAsSoonAsStopIsAnswered() throws Exception {
    start(session -> 0);
    try (BuildServerClient client = BuildServerClient.connect(socket()).orElseThrow()) {
      client.stop();
    }
    BuildServer next = BuildServer.start(socket(), session -> 7, Duration.ZERO, Duration.ZERO,
        log::add);
    try {
      assertThat(send(request()).outcome()).isEqualTo(new BuildServerClient.Outcome.Exited(7));
    } finally {
      next.close();
    }
  }

  @Test
  void doesDeclineRequestThatArrivesWhileClosing() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    start(session -> {
      running.countDown();
      release.await();
      return 0;
    });
    CompletableFuture<Seen> busy = CompletableFuture.supplyAsync(() -> {
      try {
        return send(request());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    // Connected (accepted) before the close, request sent after it began.
    try (BuildServerClient late = BuildServerClient.connect(socket()).orElseThrow()) {
      Thread.sleep(100);
      // A thread of its own: the common pool may have a single worker, busy with the first client.
      Thread closing = Thread.ofPlatform().start(server::close);
      while (Files.exists(socket())) {
        Thread.sleep(10);
      }
      BuildServerClient.Outcome outcome = late.run(request(), InputStream.nullInputStream(),
          new ByteArrayOutputStream(), new ByteArrayOutputStream(),
          BuildServerClient.ANSWER_DEADLINE);
      assertThat(outcome).isEqualTo(
          new BuildServerClient.Outcome.Declined("the build server is stopping"));
      release.countDown();
      assertThat(closing.join(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(busy.get(10, TimeUnit.SECONDS).outcome())
        .isEqualTo(new BuildServerClient.Outcome.Exited(0));
  }
}
