package io.slipway.build.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.build.graph.Operation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The OCI runtime spec ({@code config.json}) for one RUN process, with the confinement the
 * reference builder applies by default: its capability set, no new namespaces for the network
 * unless {@code --network=none}, masked and read-only kernel paths, {@code /proc}, {@code /sys},
 * {@code /dev} with {@code pts}, {@code shm} and {@code mqueue}. {@code --security=insecure} grants
 * every capability and unmasks the kernel paths. No seccomp profile is applied.
 *
 * <p>Bind mount sources may be relative: runc resolves them against the bundle directory, so the
 * specs of identical steps are equal and {@link SpecBytes} can reuse one's bytes for the next.
 *
 * <p>Immutable; {@link #toJson()} and {@link #write} may be called from any thread.
 */
public record RuntimeSpec(
    List<String> args,
    List<String> env,
    String cwd,
    ResolvedUser user,
    Operation.NetworkMode network,
    boolean insecure,
    String hostname,
    List<SpecMount> mounts) {

  /** The capabilities a RUN process has by default, as the reference builder grants them. */
  public static final List<String> DEFAULT_CAPABILITIES =
      List.of(
          "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
          "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
          "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

  /** Every capability Linux defines, by bit number, for {@code --security=insecure}. */
  public static final List<String> ALL_CAPABILITIES =
      List.of(
          "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
          "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
          "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
          "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
          "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
          "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
          "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
          "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
          "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

  /**
   * The builder's own bounding set ({@code CapBnd} of {@code /proc/self/status}): a process
   * cannot be given a capability outside it, so the runtime would refuse to start.
   */
  private static final long HOST_BOUNDING_SET = readBoundingSet();

  /** Kernel paths hidden from the process unless insecure. */
  public static final List<String> MASKED_PATHS =
      List.of(
          "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
          "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
          "/sys/firmware", "/sys/devices/virtual/powercap");

  /** Kernel paths the process may read but not write unless insecure. */
  public static final List<String> READONLY_PATHS =
      List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

  /** {@code PATH} when the step's environment has none, as the reference builder sets it. */
  public static final String DEFAULT_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  public RuntimeSpec {
    args = List.copyOf(args);
    env = List.copyOf(env);
    Objects.requireNonNull(cwd, "cwd");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(hostname, "hostname");
    mounts = List.copyOf(mounts);
    if (args.isEmpty()) {
      throw new IllegalArgumentException("a RUN process needs at least one argument");
    }
  }

  /**
   * The process environment: the step's entries, later ones winning, plus {@code PATH} and
   * {@code HOME} (from the user's passwd entry, else {@code /}) when the step sets neither.
   */
  public List<String> processEnv() {
    Map<String, String> byName = new LinkedHashMap<>();
    for (String entry : env) {
      int eq = entry.indexOf('=');
      String name = eq < 0 ? entry : entry.substring(0, eq);
      byName.put(name, entry);
    }
    byName.putIfAbsent("PATH", "PATH=" + DEFAULT_PATH);
    byName.putIfAbsent("HOME", "HOME=" + user.home().orElse("/"));
    return List.copyOf(byName.values());
  }

  /** The spec as a JSON tree. */
  public ObjectNode toJson() {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("ociVersion", "1.0.2");

    ObjectNode process = spec.putObject("process");
    process.put("terminal", false);
    ObjectNode userNode = process.putObject("user");
    userNode.put("uid", user.uid());
    userNode.put("gid", user.gid());
    if (!user.additionalGids().isEmpty()) {
      ArrayNode gids = userNode.putArray("additionalGids");
      user.additionalGids().forEach(gids::add);
    }
    strings(process.putArray("args"), args);
    strings(process.putArray("env"), processEnv());
    process.put("cwd", cwd);
    ObjectNode caps = process.putObject("capabilities");
    List<String> granted = capabilities(insecure, HOST_BOUNDING_SET);
    for (String set : List.of("bounding", "effective", "permitted")) {
      strings(caps.putArray(set), granted);
    }
    // The open-file limit of the default spec the reference builder starts from.
    ObjectNode nofile = process.putArray("rlimits").addObject();
    nofile.put("type", "RLIMIT_NOFILE");
    nofile.put("hard", 1024);
    nofile.put("soft", 1024);
    // The reference builder leaves no_new_privs off, so setuid programs (sudo, su) work in RUN.
    process.put("noNewPrivileges", false);

    ObjectNode root = spec.putObject("root");
    root.put("path", "rootfs");
    root.put("readonly", false);
    spec.put("hostname", hostname);

    ArrayNode mountArray = spec.putArray("mounts");
    for (SpecMount mount : allMounts()) {
      ObjectNode m = mountArray.addObject();
      m.put("destination", mount.destination());
      m.put("type", mount.type());
      m.put("source", mount.source());
      strings(m.putArray("options"), mount.options());
    }

    ObjectNode linux = spec.putObject("linux");
    ArrayNode namespaces = linux.putArray("namespaces");
    List<String> kinds = new ArrayList<>(List.of("pid", "ipc", "uts", "mount"));
    // "default" and "host" share the host's network namespace: there is no bridge here. A new,
    // empty namespace gets only a loopback interface, which the runtime brings up.
    if (network == Operation.NetworkMode.NONE) {
      kinds.add("network");
    }
    kinds.forEach(kind -> namespaces.addObject().put("type", kind));
    ObjectNode resources = linux.putObject("resources");
    ObjectNode denyAll = resources.putArray("devices").addObject();
    denyAll.put("allow", insecure);
    denyAll.put("access", "rwm");
    if (!insecure) {
      strings(linux.putArray("maskedPaths"), MASKED_PATHS);
      strings(linux.putArray("readonlyPaths"), READONLY_PATHS);
    }
    return spec;
  }

  /**
   * The capabilities a process gets: the reference builder's default set, or every capability
   * when {@code insecure}, either way limited to {@code boundingSet} (bit N for capability N).
   */
  public static List<String> capabilities(boolean insecure, long boundingSet) {
    List<String> wanted = insecure ? ALL_CAPABILITIES : DEFAULT_CAPABILITIES;
    return wanted.stream()
        .filter(cap -> (boundingSet & (1L << ALL_CAPABILITIES.indexOf(cap))) != 0)
        .toList();
  }

  private static long readBoundingSet() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapBnd:")) {
          return Long.parseUnsignedLong(line.substring("CapBnd:".length()).strip(), 16);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Not Linux, or an unreadable /proc: assume every capability and let the runtime decide.
    }
    return -1L;
  }

  /** The system mounts followed by the step's own, parents before children. */
  public List<SpecMount> allMounts() {
    List<SpecMount> all = new ArrayList<>();
    all.add(new SpecMount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
    all.add(
        new SpecMount(
            "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
    all.add(
        new SpecMount(
            "/dev/pts", "devpts", "devpts",
            List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
    all.add(
        new SpecMount(
            "/dev/shm", "tmpfs", "shm",
            List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));
    all.add(
        new SpecMount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
    all.add(
        new SpecMount(
            "/sys", "sysfs", "sysfs",
            List.of("nosuid", "noexec", "nodev", insecure ? "rw" : "ro")));
    List<SpecMount> own = new ArrayList<>(mounts);
    // A stable sort by depth mounts a parent before anything under it.
    own.sort(java.util.Comparator.comparingInt(m -> depth(m.destination())));
    all.addAll(own);
    return all;
  }

  /**
   * Writes the spec to {@code file}, readable by the owner only: it may hold secret values from
   * {@code env=} secret mounts, and the caller deletes it after the run.
   */
  public void write(Path file) throws IOException {
    write(file, toBytes());
  }

  /**
   * The spec as compact JSON, the bytes {@link #write(Path)} stores. Compact because nobody reads
   * the file but runc, and a pretty printer costs a RUN step time for nothing.
   */
  public byte[] toBytes() throws IOException {
    return JSON.writeValueAsBytes(toJson());
  }

  /**
   * Writes {@code json}, a spec's {@link #toBytes()}, to {@code file} as {@link #write(Path)}
   * does: replacing any earlier file, readable by the owner only from its creation on.
   */
  static void write(Path file, byte[] json) throws IOException {
    Files.deleteIfExists(file);
    try (FileChannel channel =
        FileChannel.open(
            file,
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            OWNER_ONLY)) {
      ByteBuffer buffer = ByteBuffer.wrap(json);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }
  }

  private static int depth(String path) {
    int depth = 0;
    for (String part : path.split("/")) {
      if (!part.isEmpty()) {
        depth++;
      }
    }
    return depth;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
