package io.slipway.build.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.build.graph.Operation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeSpecTest {

  private static RuntimeSpec spec(
      List<String> env, ResolvedUser user, Operation.NetworkMode network, boolean insecure,
      List<SpecMount> mounts) {
    return new RuntimeSpec(
        List.of("/bin/sh", "-c", "echo hi"), env, "/work", user, network, insecure, "sandbox",
        mounts);
  }

  private static RuntimeSpec plain() {
    return spec(List.of("A=1"), ResolvedUser.root(), Operation.NetworkMode.DEFAULT, false,
        List.of());
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(n -> values.add(n.asText()));
    return values;
  }

  @Test
  void doesPassArgsCwdAndHostnameThroughWhenGenerating() {
    ObjectNode json = plain().toJson();

    assertThat(strings(json.at("/process/args"))).containsExactly("/bin/sh", "-c", "echo hi");
    assertThat(json.at("/process/cwd").asText()).isEqualTo("/work");
    assertThat(json.at("/hostname").asText()).isEqualTo("sandbox");
    assertThat(json.at("/root/path").asText()).isEqualTo("rootfs");
    assertThat(json.at("/process/terminal").asBoolean()).isFalse();
    assertThat(json.at("/process/noNewPrivileges").asBoolean()).isFalse();
  }

  @Test
  void doesAddPathAndHomeWhenEnvLacksThem() {
    RuntimeSpec spec =
        spec(List.of("A=1"), new ResolvedUser(1000, 1000, List.of(), Optional.of("/home/app")),
            Operation.NetworkMode.DEFAULT, false, List.of());

    assertThat(strings(spec.toJson().at("/process/env")))
        .containsExactly("A=1", "PATH=" + RuntimeSpec.DEFAULT_PATH, "HOME=/home/app");
  }

  @Test
  void doesKeepTheStepsPathAndLetLaterEntriesWinWhenEnvHasThem() {
    RuntimeSpec spec =
        spec(List.of("PATH=/bin", "A=1", "A=2", "HOME=/x"), ResolvedUser.root(),
            Operation.NetworkMode.DEFAULT, false, List.of());

    assertThat(spec.processEnv()).containsExactly("PATH=/bin", "A=2", "HOME=/x");
  }

  @Test
  void doesSetUidGidAndSupplementaryGroupsWhenUserIsResolved() {
    RuntimeSpec spec =
        spec(List.of(), new ResolvedUser(1000, 100, List.of(10, 999), Optional.empty()),
            Operation.NetworkMode.DEFAULT, false, List.of());
    JsonNode user = spec.toJson().at("/process/user");

    assertThat(user.get("uid").asInt()).isEqualTo(1000);
    assertThat(user.get("gid").asInt()).isEqualTo(100);
    assertThat(user.get("additionalGids").toString()).isEqualTo("[10,999]");
  }

  @Test
  void doesGrantTheReferenceCapabilitiesAndMaskKernelPathsWhenSandboxed() {
    ObjectNode json = plain().toJson();

    assertThat(RuntimeSpec.DEFAULT_CAPABILITIES).containsAll(
        strings(json.at("/process/capabilities/bounding")));
    assertThat(strings(json.at("/process/capabilities/bounding")))
        .contains("CAP_CHOWN", "CAP_SETUID")
        .doesNotContain("CAP_SYS_ADMIN", "CAP_NET_ADMIN");
    assertThat(strings(json.at("/process/capabilities/effective")))
        .isEqualTo(strings(json.at("/process/capabilities/permitted")));
    assertThat(json.at("/process/capabilities/inheritable").isMissingNode()).isTrue();
    assertThat(strings(json.at("/linux/maskedPaths"))).contains("/proc/kcore", "/sys/firmware");
    assertThat(strings(json.at("/linux/readonlyPaths"))).contains("/proc/sys");
    assertThat(json.at("/linux/resources/devices/0/allow").asBoolean()).isFalse();
  }

  @Test
  void doesGrantEverythingAndUnmaskWhenInsecure() {
    ObjectNode json =
        spec(List.of(), ResolvedUser.root(), Operation.NetworkMode.DEFAULT, true, List.of())
            .toJson();

    assertThat(strings(json.at("/process/capabilities/bounding")))
        .contains("CAP_SYS_ADMIN", "CAP_NET_ADMIN");
    assertThat(json.at("/linux/maskedPaths").isMissingNode()).isTrue();
    assertThat(json.at("/linux/readonlyPaths").isMissingNode()).isTrue();
    JsonNode sys = mount(json, "/sys");
    assertThat(strings(sys.get("options"))).contains("rw").doesNotContain("ro");
  }

  @Test
  void doesLimitCapabilitiesToTheBoundingSetWhenHostLacksSome() {
    long withoutSysAdmin = ~(1L << 21);

    assertThat(RuntimeSpec.capabilities(true, withoutSysAdmin))
        .contains("CAP_NET_ADMIN")
        .doesNotContain("CAP_SYS_ADMIN");
    assertThat(RuntimeSpec.capabilities(false, -1L))
        .containsExactlyElementsOf(RuntimeSpec.DEFAULT_CAPABILITIES);
    assertThat(RuntimeSpec.capabilities(false, 1L)).containsExactly("CAP_CHOWN");
  }

  @Test
  void doesShareTheHostNetworkWhenNetworkIsDefaultOrHost() {
    for (Operation.NetworkMode mode :
        List.of(Operation.NetworkMode.DEFAULT, Operation.NetworkMode.HOST)) {
      ObjectNode json = spec(List.of(), ResolvedUser.root(), mode, false, List.of()).toJson();

      assertThat(namespaces(json)).containsExactly("pid", "ipc", "uts", "mount");
    }
  }

  @Test
  void doesCreateANetworkNamespaceWhenNetworkIsNone() {
    ObjectNode json =
        spec(List.of(), ResolvedUser.root(), Operation.NetworkMode.NONE, false, List.of())
            .toJson();

    assertThat(namespaces(json)).contains("network");
  }

  @Test
  void doesMountSystemFileSystemsFirstAndParentsBeforeChildrenWhenStepHasMounts() {
    RuntimeSpec spec =
        spec(List.of(), ResolvedUser.root(), Operation.NetworkMode.DEFAULT, false,
            List.of(
                SpecMount.bind("/a/b/c", "/host/c", true),
                new SpecMount("/a", "tmpfs", "tmpfs", List.of()),
                SpecMount.bind("/etc/hosts", "/host/hosts", false)));

    assertThat(spec.allMounts().stream().map(SpecMount::destination))
        .containsExactly(
            "/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/a", "/etc/hosts",
            "/a/b/c");
    assertThat(spec.allMounts().get(8).options()).contains("rbind", "ro");
  }

  @Test
  void doesWriteTheSpecReadableByOwnerOnlyWhenWritingToDisk(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("config.json");

    plain().write(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(new ObjectMapper().readTree(file.toFile())).isEqualTo(plain().toJson());
  }

  private static List<String> namespaces(ObjectNode json) {
    List<String> kinds = new ArrayList<>();
    json.at("/linux/namespaces").forEach(n -> kinds.add(n.get("type").asText()));
    return kinds;
  }

  private static JsonNode mount(ObjectNode json, String destination) {
    for (JsonNode mount : json.at("/mounts")) {
      if (mount.get("destination").asText().equals(destination)) {
        return mount;
      }
    }
    throw new AssertionError("no mount at " + destination);
  }
}
