package io.slipway.build.run;

import io.slipway.build.snapshot.MountTable;
import io.slipway.build.snapshot.Trash;
import io.slipway.build.snapshot.Trees;
import io.slipway.build.graph.ExecMount;
import io.slipway.build.graph.Operation;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Runs RUN steps in {@code runc}. For each step it prepares a writable root file system over the
 * input snapshot ({@link RootfsMount}), resolves the user against the image's passwd and group
 * files, creates the working directory, sets up the step's mounts (bind, cache, tmpfs, secret,
 * SSH) and the generated {@code /etc/hosts}, {@code /etc/resolv.conf} and {@code /etc/hostname},
 * writes the OCI runtime spec into a bundle directory, runs {@code runc run}, streams the output
 * to an {@link OutputListener}, and on exit code 0 hands back the step's changes. Whatever
 * happens, the container, its mounts and the bundle's spec and secret files are gone when {@link
 * #run} returns; the rest of the bundle is renamed into {@code trash/} and deleted in the
 * background.
 *
 * <p>Networking: {@code --network=default} and {@code host} share the host's network namespace
 * (there is no bridge in Slipway); {@code none} gets a new namespace with only loopback.
 *
 * <p>State lives in the directory the options name: {@code runc/} (runc's own state),
 * {@code bundles/<id>/} (one per running step, holding a lock file while its step lives) and
 * {@code cache/} (cache mounts) and {@code trash/} (finished bundles awaiting deletion, emptied
 * again by {@link #open} after a crash). {@link #open} sweeps bundles whose lock no process holds: they are
 * leftovers of a crash, and their containers, mounts and files are removed.
 *
 * <p>Safe for concurrent use: each call to {@link #run} works in its own bundle; cache mounts
 * coordinate through {@link CacheMounts}. A step starts three threads: two pump its output, and
 * one reaps runc when it is spawned directly ({@link SpawnedProcess}).
 */
public final class RuncExecutor {

  /** How many output lines a failure report quotes. */
  public static final int TAIL_LINES = 20;

  private static final Duration EXIT_GRACE = Duration.ofSeconds(10);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ExecutorOptions options;
  private final Runc runc;
  private final Path bundles;
  private final CacheMounts caches;
  private final Trash trash;
  private final SpecBytes specs = new SpecBytes();

  private RuncExecutor(
      ExecutorOptions options, Runc runc, Path bundles, CacheMounts caches, Trash trash) {
    this.options = options;
    this.runc = runc;
    this.bundles = bundles;
    this.caches = caches;
    this.trash = trash;
  }

  /**
   * Opens the executor on its state directory, creating it when needed, and removes what a crashed
   * run left behind.
   *
   * @throws IOException when not running as root, when {@code runc} cannot be found, or when the
   *     sweep fails
   */
  public static RuncExecutor open(ExecutorOptions options) throws IOException {
    if (!RootfsMode.isRoot()) {
      throw new IOException(
          "RUN steps need root: Slipway does not run rootless runc (user namespaces) yet");
    }
    Path binary =
        options
            .runc()
            .or(Runc::find)
            .orElseThrow(
                () ->
                    new IOException(
                        "runc not found on PATH or in /usr/sbin: install it (Debian package"
                            + " runc) to run RUN steps"));
    Path state = options.stateDirectory();
    Path runcState = Files.createDirectories(state.resolve("runc"));
    Path bundles = Files.createDirectories(state.resolve("bundles"));
    Path cache = Files.createDirectories(state.resolve("cache"));
    // Next to the bundles, so that discarding one is a rename within one file system.
    Trash trash = Trash.open(state.resolve("trash"));
    RuncExecutor executor =
        new RuncExecutor(
            options, new Runc(binary, runcState), bundles, new CacheMounts(cache), trash);
    executor.sweep();
    return executor;
  }

  /** The cache mount directories this executor uses. */
  public CacheMounts cacheMounts() {
    return caches;
  }

  /** The runc binary in use. */
  public Path runcBinary() {
    return runc.binary();
  }

  /** runc's state directory ({@code runc --root}), where this executor's containers are listed. */
  public Path runcStateDirectory() {
    return runc.stateRoot();
  }

  /** The directory where finished bundles wait for their background deletion. */
  public Path trashDirectory() {
    return trash.directory();
  }

  /** Waits until every finished step's bundle has been deleted. */
  public void awaitCleanUp() throws InterruptedException {
    trash.awaitIdle();
  }

  /** The directory holding one bundle per running step. */
  public Path bundleDirectory() {
    return bundles;
  }

  /**
   * Removes leftovers of runs whose process is gone: bundles with no lock holder (their container,
   * mounts and files) and containers in runc's state whose bundle no longer exists.
   */
  public void sweep() throws IOException {
    try (var entries = Files.list(bundles)) {
      for (Path bundle : entries.toList()) {
        Path lockFile = bundle.resolve("lock");
        if (!Files.isDirectory(bundle, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try (FileChannel channel =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
          FileLock lock = channel.tryLock();
          if (lock == null) {
            continue;
          }
          String id = bundle.getFileName().toString();
          runc.kill(id);
          runc.delete(id);
          MountTable.unmountAllUnder(bundle);
          FileTrees.deleteRecursively(bundle);
        } catch (OverlappingFileLockException e) {
          // A step of this process is running there.
        }
      }
    }
    for (String id : runc.list()) {
      if (id.startsWith("slipway-") && !Files.exists(bundles.resolve(id))) {
        runc.delete(id);
      }
    }
  }

  /**
   * Runs one step. On exit code 0 the changes are at the request's destination and returned.
   *
   * @throws RunFailedException when the process exits non-zero or runs past the time limit
   * @throws RunSetupException when the step cannot start (unknown user, missing secret, ...)
   * @throws InterruptedException when the calling thread is interrupted; the container has been
   *     killed and everything removed
   */
  public ExecResult run(ExecRequest request, OutputListener output)
      throws RunException, IOException, InterruptedException {
    Operation.Exec exec = request.exec();
    if (exec.security() == Operation.SecurityMode.INSECURE
        && !request.session().entitlements().contains(BuildSession.Entitlement.SECURITY_INSECURE)) {
      throw new RunSetupException(
          request.origin(),
          "RUN --security=insecure needs the security.insecure entitlement; start the build with"
              + " --allow security.insecure",
          null);
    }
    // Default RUN networking already shares the host's namespace here, but asking for host by
    // name is a grant in the reference builder, so a Dockerfile that needs it says so here too.
    if (exec.network() == Operation.NetworkMode.HOST
        && !request.session().entitlements().contains(BuildSession.Entitlement.NETWORK_HOST)) {
      throw new RunSetupException(
          request.origin(),
          "RUN --network=host needs the network.host entitlement; start the build with"
              + " --allow network.host",
          null);
    }
    if (Files.exists(request.destination(), LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException("destination exists: " + request.destination());
    }
    String id = "slipway-" + HexFormat.of().formatHex(randomBytes());
    Path bundle = Files.createDirectory(bundles.resolve(id));
    Files.setAttribute(bundle, "unix:mode", 0700);
    // The lock says "a live process owns this bundle" to the sweep of another process; it never
    // makes anyone wait, since each bundle has one owner.
    Throwable failure = null;
    // Made before the lock is taken (it only holds its parameters), so that the bundle's clean-up
    // below can ask it whether the mount table was already checked.
    Step step = new Step(options, runc, caches, specs, request, output, id, bundle);
    try (FileChannel lockChannel =
            FileChannel.open(
                bundle.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock alive = lockChannel.lock()) {
      if (!alive.isValid()) {
        throw new IOException("lost the lock on " + bundle);
      }
      try {
        return step.execute();
      } catch (Throwable e) {
        failure = e;
        throw e;
      } finally {
        cleanUp(failure, step::cleanUp);
      }
    } finally {
      // The bundle holds the spec (which may carry env secrets) and secret files: it always goes.
      cleanUp(failure, () -> {
        // unmountAllUnder throws unless every mount below is gone (or detached, which takes it
        // out of the tree too), so the delete cannot reach into a mounted source. A step that
        // released its mounts has just done exactly that and mounts nothing afterwards, so the
        // mount table is read again only when it did not get that far.
        if (!step.mountsReleased()) {
          MountTable.unmountAllUnder(bundle);
        }
        // What may hold a secret goes now; the rest (work directory, stubs, scratch) is renamed
        // out of the way and deleted off the step's critical path.
        Files.deleteIfExists(bundle.resolve("config.json"));
        Trees.delete(bundle.resolve("secrets"));
        trash.discard(bundle);
      });
    }
  }

  /** A clean-up action that may fail. */
  @FunctionalInterface
  private interface CleanUp {
    void run() throws IOException;
  }

  /**
   * Runs {@code action}; if the step already failed, a clean-up failure is attached to that
   * failure instead of replacing it.
   */
  private static void cleanUp(Throwable failure, CleanUp action) throws IOException {
    try {
      action.run();
    } catch (IOException | RuntimeException e) {
      if (failure == null) {
        throw e;
      }
      failure.addSuppressed(e);
    }
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /** One run of one step; confined to the calling thread. */
  private static final class Step {
    private final ExecutorOptions options;
    private final Runc runc;
    private final CacheMounts caches;
    private final SpecBytes specs;
    private final ExecRequest request;
    private final String id;
    private final Path bundle;
    private final OutputPump pump;
    private final List<CacheMounts.Lease> leases = new ArrayList<>();
    private final List<Path> inputViews = new ArrayList<>();
    private RootfsMount rootfs;
    private Process process;
    private boolean mountsReleased;

    Step(
        ExecutorOptions options,
        Runc runc,
        CacheMounts caches,
        SpecBytes specs,
        ExecRequest request,
        OutputListener output,
        String id,
        Path bundle) {
      this.options = options;
      this.runc = runc;
      this.caches = caches;
      this.specs = specs;
      this.request = request;
      this.id = id;
      this.bundle = bundle;
      this.pump = new OutputPump(output, TAIL_LINES);
      for (int i = 0; i < request.inputs().size(); i++) {
        inputViews.add(null);
      }
    }

    ExecResult execute() throws RunException, IOException, InterruptedException {
      Operation.Exec exec = request.exec();
      rootfs = RootfsMount.prepare(options.rootfsMode(), request.rootfs(), bundle);
      Path root = rootfs.root();

      ResolvedUser user;
      try {
        user = UserResolver.resolve(exec.user(), root);
      } catch (UnknownUserException e) {
        throw new RunSetupException(request.origin(), e.getMessage(), e);
      }
      String cwd = normalise(exec.workingDir());
      createWorkingDirectory(root, cwd);

      List<String> env = new ArrayList<>(exec.env());
      List<SpecMount> mounts = new ArrayList<>();
      List<MountStubs.Target> stubs = new ArrayList<>();
      for (String dir : List.of("/proc", "/sys", "/dev")) {
        stubs.add(new MountStubs.Target(dir, true));
      }
      generatedFiles(mounts, stubs);
      for (int i = 0; i < exec.mounts().size(); i++) {
        mount(exec.mounts().get(i), i, env, mounts, stubs);
      }
      MountStubs created = MountStubs.create(root, stubs);

      RuntimeSpec spec =
          new RuntimeSpec(
              exec.args(), env, cwd, user, exec.network(),
              exec.security() == Operation.SecurityMode.INSECURE, options.hostname(), mounts);
      // A spec with secret mounts may hold secret values (env=), so it is not kept for reuse.
      boolean secrets = exec.mounts().stream().anyMatch(m -> m instanceof ExecMount.Secret);
      RuntimeSpec.write(bundle.resolve("config.json"), specs.of(spec, !secrets));

      long started = System.nanoTime();
      process = runc.start(bundle, id);
      pump.start(process);
      boolean exited;
      if (request.timeout().isPresent()) {
        exited = process.waitFor(request.timeout().get().toNanos(), TimeUnit.NANOSECONDS);
      } else {
        process.waitFor();
        exited = true;
      }
      if (!exited) {
        stopContainer();
        throw new RunFailedException(
            request.origin(), OptionalInt.empty(),
            "did not finish within " + request.timeout().get() + " and was killed",
            pump.lastLines());
      }
      pump.await(EXIT_GRACE.toMillis());
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
      int exitCode = process.exitValue();
      // A foreground runc run deletes its container on exit; starting runc again only to
      // find nothing costs a process start per step, so only when state was left behind.
      if (runc.hasState(id)) {
        runc.delete(id);
      }
      if (exitCode != 0) {
        throw new RunFailedException(
            request.origin(), OptionalInt.of(exitCode),
            "process \"" + String.join(" ", exec.args()) + "\" did not complete successfully:"
                + " exit code " + exitCode,
            pump.lastLines());
      }
      releaseMounts();
      created.remove(rootfs.changesDirectory(), rootfs.isOverlay());
      LayerChanges changes = rootfs.changes();
      Files.move(changes.root(), request.destination(), StandardCopyOption.ATOMIC_MOVE);
      LayerChanges moved =
          switch (changes) {
            case LayerChanges.OverlayUpper upper ->
                new LayerChanges.OverlayUpper(request.destination());
            case LayerChanges.Diff diff ->
                new LayerChanges.Diff(request.destination(), diff.deletions());
          };
      return new ExecResult(moved, elapsed);
    }

    /** Kills the container if it runs, then removes every mount the step made. */
    void cleanUp() throws IOException {
      try {
        // A container that exited by itself and left no runc state needs no kill and no delete:
        // each would cost a runc start.
        if (process != null && (process.isAlive() || runc.hasState(id))) {
          stopContainer();
        }
      } finally {
        releaseMounts();
      }
    }

    private void stopContainer() throws IOException {
      if (process.isAlive()) {
        runc.kill(id);
      }
      awaitExit();
      runc.delete(id);
      pump.await(EXIT_GRACE.toMillis());
    }

    private void awaitExit() {
      boolean interrupted = Thread.interrupted();
      try {
        long deadline = System.nanoTime() + EXIT_GRACE.toNanos();
        while (process.isAlive()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            process.destroyForcibly();
            break;
          }
          try {
            process.waitFor(left, TimeUnit.NANOSECONDS);
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    /**
     * True once every mount under the bundle is known to be gone: the step's own are unmounted
     * and a read of the mount table found nothing left below the bundle. The step makes no mount
     * after that.
     */
    boolean mountsReleased() {
      return mountsReleased;
    }

    private void releaseMounts() throws IOException {
      if (mountsReleased) {
        return;
      }
      try {
        if (rootfs != null) {
          rootfs.unmount();
        }
        MountTable.unmountAllUnder(bundle);
        mountsReleased = true;
      } finally {
        for (CacheMounts.Lease lease : leases) {
          lease.close();
        }
        leases.clear();
      }
    }

    private void createWorkingDirectory(Path root, String cwd) throws IOException, RunException {
      Path host = ContainedPath.resolve(root, cwd);
      if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      if (Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
        throw new RunSetupException(
            request.origin(), "working directory " + cwd + " exists and is not a directory", null);
      }
      List<Path> missing = new ArrayList<>();
      for (Path p = host; !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
        missing.addFirst(p);
      }
      for (Path dir : missing) {
        // Matches the reference builder: a missing working directory is made 0755, owned by root.
        Files.createDirectory(dir);
        Files.setAttribute(dir, "unix:mode", 0755);
      }
    }

    private void generatedFiles(List<SpecMount> mounts, List<MountStubs.Target> stubs)
        throws IOException {
      Path etc = Files.createDirectory(bundle.resolve("etc"));
      Path hosts = etc.resolve("hosts");
      Files.writeString(
          hosts,
          "127.0.0.1\tlocalhost " + options.hostname() + "\n"
              + "::1\tlocalhost ip6-localhost ip6-loopback\n",
          StandardCharsets.UTF_8);
      Path hostname = etc.resolve("hostname");
      Files.writeString(hostname, options.hostname() + "\n", StandardCharsets.UTF_8);
      Path resolv = etc.resolve("resolv.conf");
      if (Files.isReadable(options.resolvConf())) {
        Files.copy(options.resolvConf(), resolv);
      } else {
        // The reference builder's fallback when the host has no resolver configuration.
        Files.writeString(resolv, "nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
      }
      for (Path file : List.of(hosts, hostname, resolv)) {
        Files.setAttribute(file, "unix:mode", 0644);
        String target = "/etc/" + file.getFileName();
        // Writable, but the writes land in the bundle's copy and vanish with it.
        mounts.add(SpecMount.bind(target, specSource(file), false));
        stubs.add(new MountStubs.Target(target, false));
      }
    }

    private void mount(
        ExecMount mount,
        int index,
        List<String> env,
        List<SpecMount> mounts,
        List<MountStubs.Target> stubs)
        throws IOException, InterruptedException, RunException {
      String target = normalise(mount.target());
      switch (mount) {
        case ExecMount.Bind bind -> {
          Path source = bindSource(bind, index);
          boolean directory = Files.isDirectory(source);
          mounts.add(SpecMount.bind(target, specSource(source), bind.readOnly()));
          stubs.add(new MountStubs.Target(target, directory));
        }
        case ExecMount.Cache cache -> {
          CacheMounts.Seed seed = directory -> seedCache(cache, directory);
          CacheMounts.Lease lease =
              caches.acquire(
                  cache.id(), cache.sharing(), seed, cache.uid(), cache.gid(), cache.mode());
          leases.add(lease);
          mounts.add(SpecMount.bind(target, lease.directory().toString(), cache.readOnly()));
          stubs.add(new MountStubs.Target(target, true));
        }
        case ExecMount.Tmpfs tmpfs -> {
          List<String> tmpfsOptions =
              new ArrayList<>(List.of("nosuid", "nodev", "strictatime", "mode=1777"));
          if (tmpfs.sizeBytes() > 0) {
            tmpfsOptions.add("size=" + tmpfs.sizeBytes());
          }
          mounts.add(new SpecMount(target, "tmpfs", "tmpfs", tmpfsOptions));
          stubs.add(new MountStubs.Target(target, true));
        }
        case ExecMount.Secret secret -> secret(secret, index, env, mounts, stubs);
        case ExecMount.Ssh ssh -> {
          Path socket = request.session().sshAgents().get(ssh.id());
          if (socket == null) {
            if (ssh.required()) {
              throw new RunSetupException(
                  request.origin(),
                  "no SSH agent \"" + ssh.id() + "\" was given to the build; pass --ssh "
                      + ssh.id() + "=$SSH_AUTH_SOCK",
                  null);
            }
            return;
          }
          mounts.add(SpecMount.bind(target, socket.toString(), false));
          stubs.add(new MountStubs.Target(target, false));
          if (env.stream().noneMatch(e -> e.startsWith("SSH_AUTH_SOCK="))) {
            env.add("SSH_AUTH_SOCK=" + target);
          }
        }
      }
    }

    private void secret(
        ExecMount.Secret secret,
        int index,
        List<String> env,
        List<SpecMount> mounts,
        List<MountStubs.Target> stubs)
        throws IOException, RunException {
      var value = request.session().secrets().read(secret.id());
      if (value.isEmpty()) {
        if (secret.required()) {
          throw new RunSetupException(
              request.origin(),
              "secret \"" + secret.id() + "\" was not given to the build; pass --secret id="
                  + secret.id() + ",src=FILE",
              null);
        }
        return;
      }
      byte[] bytes = value.get();
      if (!secret.env().isEmpty()) {
        env.add(secret.env() + "=" + new String(bytes, StandardCharsets.UTF_8));
      }
      if (!secret.target().isEmpty()) {
        Path dir = bundle.resolve("secrets");
        if (!Files.exists(dir)) {
          Files.createDirectory(dir);
          Files.setAttribute(dir, "unix:mode", 0700);
        }
        Path file = dir.resolve(Integer.toString(index));
        Files.createFile(file);
        Files.setAttribute(file, "unix:mode", 0600);
        Files.write(file, bytes);
        Files.setAttribute(file, "unix:uid", secret.uid());
        Files.setAttribute(file, "unix:gid", secret.gid());
        Files.setAttribute(file, "unix:mode", secret.mode() & 07777);
        String target = normalise(secret.target());
        mounts.add(SpecMount.bind(target, specSource(file), true));
        stubs.add(new MountStubs.Target(target, false));
      }
      java.util.Arrays.fill(bytes, (byte) 0);
    }

    /**
     * {@code path} as the spec names a mount's source: relative to the bundle when inside it
     * (runc resolves relative bind sources against the bundle), so that identical steps, each in
     * its own bundle, have equal specs whose bytes {@link SpecBytes} reuses.
     */
    private String specSource(Path path) {
      return path.startsWith(bundle) ? bundle.relativize(path).toString() : path.toString();
    }

    /** The host path a bind mount reads; writes to a read-write bind go to a throwaway layer. */
    private Path bindSource(ExecMount.Bind bind, int index)
        throws IOException, InterruptedException, RunException {
      Path base = inputView(bind.input());
      Path source = ContainedPath.resolve(base, bind.sourcePath());
      if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
        throw new RunSetupException(
            request.origin(),
            "bind mount source \"" + bind.sourcePath() + "\" not found in its input (for "
                + bind.target() + ")",
            null);
      }
      if (bind.readOnly()) {
        return source;
      }
      Path scratch = Files.createDirectories(bundle.resolve("binds").resolve(Integer.toString(index)));
      if (!Files.isDirectory(source)) {
        Path copy = scratch.resolve("file");
        Files.copy(
            source, copy, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        UnixAttributes.of(source).applyTo(copy);
        return copy;
      }
      if (options.rootfsMode() == RootfsMode.OVERLAY) {
        Path upper = Files.createDirectory(scratch.resolve("upper"));
        Path work = Files.createDirectory(scratch.resolve("work"));
        Path merged = Files.createDirectory(scratch.resolve("merged"));
        UnixAttributes.of(source).applyTo(upper);
        RootfsMount.mountOverlay(List.of(source), upper, work, merged);
        return merged;
      }
      Path copy = scratch.resolve("copy");
      RootfsMount.copyTree(source, copy);
      return copy;
    }

    /** A directory showing input {@code index} whole: the layer itself, or a read-only overlay. */
    private Path inputView(int index) throws IOException, InterruptedException, RunException {
      if (index < 0 || index >= request.inputs().size()) {
        throw new IllegalArgumentException(
            "mount reads input " + index + " but the step has " + request.inputs().size());
      }
      Snapshot snapshot = request.inputs().get(index);
      if (snapshot.isSingleDirectory()) {
        return snapshot.layers().getFirst();
      }
      if (options.rootfsMode() != RootfsMode.OVERLAY) {
        throw new RunSetupException(
            request.origin(),
            "a mount of a snapshot of " + snapshot.layers().size()
                + " layers needs overlayfs; the copying mode takes one-directory snapshots",
            null);
      }
      Path view = inputViews.get(index);
      if (view == null) {
        view = Files.createDirectories(bundle.resolve("inputs").resolve(Integer.toString(index)));
        RootfsMount.mountOverlay(snapshot.layers(), null, null, view);
        inputViews.set(index, view);
      }
      return view;
    }

    private boolean seedCache(ExecMount.Cache cache, Path directory)
        throws IOException, InterruptedException {
      if (cache.seedInput() < 0) {
        return false;
      }
      Path base;
      try {
        base = inputView(cache.seedInput());
      } catch (RunException e) {
        throw new IOException(e.getMessage(), e);
      }
      Path source = ContainedPath.resolve(base, cache.seedPath());
      if (!Files.isDirectory(source)) {
        return false;
      }
      RootfsMount.copyTree(source, directory);
      return true;
    }
  }

  /** {@code /a/b} for {@code a/b/}, {@code /a//b} or {@code /a/./b}. */
  static String normalise(String path) {
    String normal = Path.of("/").resolve(path).normalize().toString();
    return normal.isEmpty() ? "/" : normal;
  }
}
