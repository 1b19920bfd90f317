package io.slipway.build.run;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child process started with {@code posix_spawn(3)} directly, for {@code runc run}: standard
 * input from {@code /dev/null}, standard output and error into pipes, the builder's environment,
 * and no other descriptor ({@code posix_spawn_file_actions_addclosefrom_np}, so concurrent steps
 * never hold each other's pipe ends open). {@link ProcessBuilder} spawns the JDK's
 * {@code jspawnhelper}, which then executes the command: one program start more per RUN step (on
 * this project's 2-core machine, start to exit of {@code /bin/true} took a median 2.2 ms through
 * {@link ProcessBuilder} against 1.0 ms spawned directly).
 *
 * <p>A platform thread of its own reaps the child with {@code waitpid(2)}, since a native wait on
 * a virtual thread would hold its carrier for the whole step. Signals are sent only while the
 * child is not reaped: the reaper first waits for the exit without reaping ({@code WNOWAIT}), then
 * reaps under the lock {@link #destroy} takes, so a signal can never reach a later process that
 * was given the same pid.
 *
 * <p>Safe for concurrent use. {@link #available()} says whether this C library offers what it
 * needs (glibc 2.34 or later); {@link Runc} falls back to {@link ProcessBuilder} otherwise.
 */
final class SpawnedProcess extends Process {

  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 02000000;
  private static final int EINTR = 4;
  private static final int SIGTERM = 15;
  private static final int SIGKILL = 9;
  private static final int P_PID = 1;
  private static final int WEXITED = 4;
  private static final int WNOWAIT = 0x01000000;
  /** {@code sizeof(siginfo_t)} on Linux. */
  private static final int SIGINFO_SIZE = 128;
  /** Larger than glibc's {@code posix_spawn_file_actions_t} (80 bytes on 64-bit). */
  private static final int FILE_ACTIONS_SIZE = 256;

  private final int pid;
  private final InputStream stdout;
  private final InputStream stderr;
  /** The exit code, completed by the reaper; the JDK's 128 + signal for a killed child. */
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  /** Set by the reaper under this object's lock, which {@link #signal} holds too. */
  private boolean reaped;

  private SpawnedProcess(int pid, InputStream stdout, InputStream stderr) {
    this.pid = pid;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** True when this process's C library has every function a spawn needs. */
  static boolean available() {
    return Libc.FAILURE.isEmpty();
  }

  /**
   * Starts {@code command} (its first element an absolute path) with the builder's environment.
   *
   * @throws IOException when the pipes cannot be made or the program cannot be executed
   */
  static SpawnedProcess start(List<String> command) throws IOException {
    if (!available()) {
      throw new IOException("posix_spawn is not usable here", Libc.FAILURE.get());
    }
    int[] out = pipe();
    int[] err;
    try {
      err = pipe();
    } catch (IOException e) {
      closeQuietly(out[0]);
      closeQuietly(out[1]);
      throw e;
    }
    int childPid;
    try {
      childPid = spawn(command, out[1], err[1]);
    } catch (IOException | RuntimeException e) {
      closeQuietly(out[0]);
      closeQuietly(err[0]);
      throw e;
    } finally {
      // The child has its own copies; the parent keeps only the read ends, so that the pipes
      // reach their end when the child (and whatever it started) is gone.
      closeQuietly(out[1]);
      closeQuietly(err[1]);
    }
    InputStream stdout = null;
    SpawnedProcess process;
    try {
      stdout = readEnd(out[0]);
      process = new SpawnedProcess(childPid, stdout, readEnd(err[0]));
    } catch (IOException | RuntimeException e) {
      // readEnd closed the descriptor it was given; what is left open is closed here.
      if (stdout == null) {
        closeQuietly(err[0]);
      } else {
        try {
          stdout.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      try {
        Libc.kill(childPid, SIGKILL);
      } catch (LastErrorException gone) {
        // Exited already; reaped below either way.
      }
      reap(childPid);
      throw e;
    }
    Thread.ofPlatform()
        .daemon()
        .name("spawned-reaper-" + childPid)
        .start(process::awaitChild);
    return process;
  }

  private static int spawn(List<String> command, int stdoutWrite, int stderrWrite)
      throws IOException {
    Memory actions = new Memory(FILE_ACTIONS_SIZE);
    actions.clear();
    check(Libc.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
    try {
      check(Libc.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", O_RDONLY, 0),
          "posix_spawn_file_actions_addopen");
      check(Libc.posix_spawn_file_actions_adddup2(actions, stdoutWrite, 1),
          "posix_spawn_file_actions_adddup2");
      check(Libc.posix_spawn_file_actions_adddup2(actions, stderrWrite, 2),
          "posix_spawn_file_actions_adddup2");
      check(Libc.posix_spawn_file_actions_addclosefrom_np(actions, 3),
          "posix_spawn_file_actions_addclosefrom_np");
      List<String> env = new ArrayList<>();
      for (Map.Entry<String, String> entry : System.getenv().entrySet()) {
        env.add(entry.getKey() + "=" + entry.getValue());
      }
      int[] pid = new int[1];
      // posix_spawn returns the error number itself, including the exec's (glibc waits for it).
      int error = Libc.posix_spawn(pid, command.getFirst(), actions, Pointer.NULL,
          new StringArray(command.toArray(String[]::new)),
          new StringArray(env.toArray(String[]::new)));
      if (error != 0) {
        throw new IOException("cannot run " + command.getFirst() + ": errno " + error);
      }
      return pid[0];
    } finally {
      Libc.posix_spawn_file_actions_destroy(actions);
    }
  }

  private static int[] pipe() throws IOException {
    int[] fds = new int[2];
    try {
      // Close-on-exec, so that no other child of the builder inherits them.
      Libc.pipe2(fds, O_CLOEXEC);
    } catch (LastErrorException e) {
      throw new IOException("pipe2 failed: errno " + e.getErrorCode(), e);
    }
    return fds;
  }

  /** A stream of its own on the pipe's read end ({@code /proc/self/fd} reopens a pipe). */
  private static InputStream readEnd(int fd) throws IOException {
    try {
      return new FileInputStream("/proc/self/fd/" + fd);
    } finally {
      closeQuietly(fd);
    }
  }

  private void awaitChild() {
    try {
      // Waited for without reaping first: until it is reaped the exited child keeps its pid, so
      // a signal sent meanwhile (under the same lock) can only reach this process.
      awaitExit(pid);
      int code;
      synchronized (this) {
        code = reap(pid);
        reaped = true;
      }
      // Completed outside the lock: what waits on the exit may run right here.
      exit.complete(code);
    } catch (RuntimeException e) {
      exit.completeExceptionally(e);
    }
  }

  /** Blocks until {@code pid} has exited, leaving it to be reaped. */
  private static void awaitExit(int pid) {
    Memory info = new Memory(SIGINFO_SIZE);
    while (true) {
      try {
        Libc.waitid(P_PID, pid, info, WEXITED | WNOWAIT);
        return;
      } catch (LastErrorException e) {
        if (e.getErrorCode() != EINTR) {
          throw new IllegalStateException("waitid " + pid + " failed: errno "
              + e.getErrorCode(), e);
        }
      }
    }
  }

  /** Waits for {@code pid} and returns its exit code, 128 + the signal when killed. */
  private static int reap(int pid) {
    int[] status = new int[1];
    while (true) {
      try {
        Libc.waitpid(pid, status, 0);
        break;
      } catch (LastErrorException e) {
        if (e.getErrorCode() != EINTR) {
          throw new IllegalStateException("waitpid " + pid + " failed: errno "
              + e.getErrorCode(), e);
        }
      }
    }
    int signal = status[0] & 0x7f;
    return signal == 0 ? (status[0] >> 8) & 0xff : 0x80 + signal;
  }

  private static void check(int error, String call) throws IOException {
    if (error != 0) {
      throw new IOException(call + " failed: errno " + error);
    }
  }

  private static void closeQuietly(int fd) {
    try {
      Libc.close(fd);
    } catch (LastErrorException e) {
      // Already closed, or EINTR after which Linux has closed it anyway.
    }
  }

  @Override
  public OutputStream getOutputStream() {
    // Standard input is /dev/null.
    return OutputStream.nullOutputStream();
  }

  @Override
  public InputStream getInputStream() {
    return stdout;
  }

  @Override
  public InputStream getErrorStream() {
    return stderr;
  }

  @Override
  public int waitFor() throws InterruptedException {
    try {
      return exit.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not wait for process " + pid, e.getCause());
    }
  }

  @Override
  public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
    try {
      exit.get(timeout, unit);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not wait for process " + pid, e.getCause());
    }
  }

  @Override
  public int exitValue() {
    Integer code = exit.getNow(null);
    if (code == null) {
      throw new IllegalThreadStateException("process " + pid + " has not exited");
    }
    return code;
  }

  @Override
  public boolean isAlive() {
    return !exit.isDone();
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public CompletableFuture<Process> onExit() {
    return exit.handle((code, error) -> this);
  }

  @Override
  public boolean supportsNormalTermination() {
    return true;
  }

  @Override
  public void destroy() {
    signal(SIGTERM);
  }

  @Override
  public Process destroyForcibly() {
    signal(SIGKILL);
    return this;
  }

  private synchronized void signal(int signal) {
    // Once reaped, the pid may belong to another process; the reaper reaps under this lock.
    if (!reaped) {
      try {
        Libc.kill(pid, signal);
      } catch (LastErrorException e) {
        // Exited meanwhile.
      }
    }
  }

  /** The C library functions, bound once; {@link #FAILURE} says why they are not. */
  private static final class Libc {
    static final Optional<Throwable> FAILURE;

    static {
      Throwable failure = null;
      try {
        Native.register(Libc.class, "c");
      } catch (UnsatisfiedLinkError | RuntimeException e) {
        failure = e;
      }
      FAILURE = Optional.ofNullable(failure);
    }

    private Libc() {}

    static native int pipe2(int[] fds, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int kill(int pid, int signal) throws LastErrorException;

    static native int waitpid(int pid, int[] status, int options) throws LastErrorException;

    static native int waitid(int idType, int id, Pointer info, int options)
        throws LastErrorException;

    static native int posix_spawn_file_actions_init(Pointer actions);

    static native int posix_spawn_file_actions_destroy(Pointer actions);

    static native int posix_spawn_file_actions_addopen(
        Pointer actions, int fd, String path, int flags, int mode);

    static native int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

    static native int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

    static native int posix_spawn(
        int[] pid, String path, Pointer actions, Pointer attributes, Pointer argv, Pointer envp);
  }
}
