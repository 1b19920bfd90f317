package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.oci.Digest;
import io.slipway.testing.ChildJvm;
import io.slipway.testing.IntegrationTest;
import io.slipway.testing.RequiresTool;
import io.slipway.testing.images.TestImages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code slipway build} handing {@code --secret}, {@code --ssh} and {@code --allow} to RUN steps in
 * runc, and keeping secret values out of everything the build leaves behind.
 */
@IntegrationTest
@RequiresTool(value = {"busybox", "runc"}, debianPackage = "busybox-static runc")
class BuildSessionIntegrationTest {

  @TempDir Path dir;
  private Path layout;
  private Path context;

  private record Result(int exitCode, String out, String err) {}

  @BeforeEach
  void setUp() throws IOException {
    layout = TestImages.busybox(dir.resolve("layout")).layout();
    context = Files.createDirectories(dir.resolve("context"));
  }

  private Result build(String dockerfile, String... flags) throws IOException {
    Files.writeString(context.resolve("Dockerfile"), dockerfile);
    List<String> args = new ArrayList<>(List.of("build", "--root", dir.resolve("state").toString(),
        "--progress=plain", "--build-context", "busybox=oci-layout://" + layout));
    args.addAll(List.of(flags));
    args.add(context.toString());
    CommandLine commandLine = SlipwayCommand.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int code = commandLine.execute(args.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  private static String sha256(String value) {
    return Digest.sha256(value.getBytes(StandardCharsets.UTF_8)).encoded();
  }

  @Test
  void runSeesFileAndEnvironmentSecretsThatNoOutputOrStateKeeps() throws Exception {
    String fileSecret = "file-" + UUID.randomUUID();
    String envSecret = "env-" + UUID.randomUUID();
    Path secretFile = Files.writeString(dir.resolve("token.txt"), fileSecret);
    // The Dockerfile names only the values' hashes: it lands in the image's history.
    Files.writeString(context.resolve("Dockerfile"), "FROM busybox\n"
        + "RUN --mount=type=secret,id=token --mount=type=secret,id=key,env=KEY"
        + " test \"$(sha256sum < /run/secrets/token | cut -d' ' -f1)\" = " + sha256(fileSecret)
        + " && test \"$(printf %s \"$KEY\" | sha256sum | cut -d' ' -f1)\" = " + sha256(envSecret)
        + " && echo checked > /checked\n");
    Path archive = dir.resolve("image.tar");
    Path trace = dir.resolve("trace.json");
    Path log = dir.resolve("build.log");
    // A child process, since only it can be given the variable the env= secret reads.
    String output;
    try (ChildJvm child = ChildJvm.of(Main.class)
        .environment(Map.of("BUILD_KEY", envSecret))
        .args("build", "--root", dir.resolve("state").toString(),
            "--build-context", "busybox=oci-layout://" + layout,
            "--secret", "id=token,src=" + secretFile, "--secret", "id=key,env=BUILD_KEY",
            "--trace-file", trace.toString(), "--output", "type=oci,dest=" + archive,
            "-t", "example.com/secret:1", context.toString())
        .start(log)) {
      output = child.awaitSuccess(Duration.ofSeconds(120));
    }
    assertThat(output).contains("RUN test \"$(sha256sum < /run/secrets/token");

    List<String> places = new ArrayList<>();
    places.addAll(archiveFilesContaining(archive, fileSecret, envSecret));
    places.addAll(filesContaining(dir.resolve("state"), fileSecret, envSecret));
    places.addAll(filesContaining(trace, fileSecret, envSecret));
    if (output.contains(fileSecret) || output.contains(envSecret)) {
      places.add("the build's output");
    }
    assertThat(places).as("places holding a secret value").isEmpty();
    // The step ran and checked both values: its marker is in the exported image.
    assertThat(archiveFilesContaining(archive, "checked\n")).isNotEmpty();
  }

  @Test
  void failsNamingARequiredSecretTheBuildWasNotGiven() throws IOException {
    Result missing = build("FROM busybox\nRUN --mount=type=secret,id=npmrc,required true\n");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("secret \"npmrc\" was not given to the build; pass"
        + " --secret id=npmrc,src=FILE");
    // As in the reference builder, a secret mount is optional unless it says required.
    for (String mount : List.of("id=npmrc", "id=npmrc,required=false")) {
      Result optional = build("FROM busybox\nRUN --mount=type=secret," + mount
          + " test ! -e /run/secrets/npmrc\n");
      assertThat(optional.exitCode()).as(optional.err()).isZero();
    }
  }

  @Test
  void forwardsTheSshAgentSocketToRun() throws IOException {
    Path socket = dir.resolve("agent.sock");
    try (ServerSocketChannel agent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      agent.bind(UnixDomainSocketAddress.of(socket));
      Path rootfs = dir.resolve("rootfs");
      Result result = build("FROM busybox\n"
              + "RUN --mount=type=ssh test -S \"$SSH_AUTH_SOCK\" && echo \"$SSH_AUTH_SOCK\" > /agent\n",
          "--ssh", "default=" + socket, "--output", "type=local,dest=" + rootfs);
      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(rootfs.resolve("agent")).hasContent("/run/buildkit/ssh_agent.0");
    }
    Result without = build("FROM busybox\nRUN --mount=type=ssh,id=deploy,required=true true\n");
    assertThat(without.exitCode()).isEqualTo(1);
    assertThat(without.err()).contains("no SSH agent \"deploy\" was given to the build");
  }

  @Test
  void refusesInsecureRunUnlessAllowed() throws IOException {
    String dockerfile = "FROM busybox\nRUN --security=insecure grep -q CapEff /proc/self/status\n";
    Result refused = build(dockerfile);
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("RUN --security=insecure needs the security.insecure"
        + " entitlement; start the build with --allow security.insecure");
    Result allowed = build(dockerfile, "--allow", "security.insecure");
    assertThat(allowed.exitCode()).as(allowed.err()).isZero();

    Result host = build("FROM busybox\nRUN --network=host true\n");
    assertThat(host.exitCode()).isEqualTo(1);
    assertThat(host.err()).contains("--allow network.host");
    assertThat(build("FROM busybox\nRUN --network=host true\n", "--allow", "network.host")
        .exitCode()).isZero();
  }

  /** Entries of a tar (gzip layers unpacked, nested tars opened) holding any of {@code values}. */
  private static List<String> archiveFilesContaining(Path archive, String... values)
      throws IOException {
    try (InputStream in = Files.newInputStream(archive)) {
      return tarEntriesContaining(in, archive.getFileName().toString(), values);
    }
  }

  private static List<String> tarEntriesContaining(InputStream in, String name, String... values)
      throws IOException {
    List<String> found = new ArrayList<>();
    TarArchiveInputStream tar = new TarArchiveInputStream(in);
    TarArchiveEntry entry;
    while ((entry = tar.getNextEntry()) != null) {
      if (!entry.isFile()) {
        continue;
      }
      byte[] bytes = tar.readAllBytes();
      String path = name + "!" + entry.getName();
      if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
        bytes = new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes();
      }
      if (contains(bytes, values)) {
        found.add(path);
      }
      if (bytes.length > 262 && new String(bytes, 257, 5, StandardCharsets.US_ASCII)
          .equals("ustar")) {
        found.addAll(tarEntriesContaining(new ByteArrayInputStream(bytes), path, values));
      }
    }
    return found;
  }

  private static List<String> filesContaining(Path root, String... values) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        byte[] bytes = Files.readAllBytes(file);
        if (contains(bytes, values)) {
          found.add(file.toString());
        }
        if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b
            && contains(new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes(),
                values)) {
          found.add(file + " (unpacked)");
        }
      }
    }
    return found;
  }

  private static boolean contains(byte[] bytes, String... values) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    for (String value : values) {
      if (text.contains(value) || text.contains(HexFormat.of().formatHex(
          value.getBytes(StandardCharsets.UTF_8)))) {
        return true;
      }
    }
    return false;
  }
}
