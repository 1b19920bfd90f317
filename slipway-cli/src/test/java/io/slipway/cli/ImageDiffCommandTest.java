package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.client.ClientSettings;
import io.slipway.client.RegistryClient;
import io.slipway.client.Repository;
import io.slipway.client.TransferListener;
import io.slipway.client.auth.CredentialSource;
import io.slipway.client.layout.OciLayout;
import io.slipway.diff.image.ImageLayouts;
import io.slipway.oci.Descriptor;
import io.slipway.oci.ImageConfig;
import io.slipway.registry.RegistryConfig;
import io.slipway.registry.RegistryServer;
import io.slipway.store.blob.FileBlobStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImageDiffCommandTest {
  private static final ImageConfig.RunConfig RUN =
      ImageConfig.RunConfig.EMPTY.withEnv(List.of("PATH=/bin")).withCmd(List.of("/bin/sh"));

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    DiffCommand command = new DiffCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    CommandLine commandLine = new CommandLine(command);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    return commandLine.execute(args);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private static ImageLayouts.Layer base() {
    return ImageLayouts.layer().dir("etc").file("etc/motd", "hello\nworld\n").file("etc/bin.dat", "\0\1\2");
  }

  @BeforeEach
  void writeImages() throws Exception {
    ImageLayouts.write(dir.resolve("a"), "1", RUN, List.of(base()));
    ImageLayouts.write(dir.resolve("b"), "2", RUN.withUser("app"), List.of(base(),
        ImageLayouts.layer().file("etc/motd", "hello\nthere\n").file("etc/bin.dat", "\0\1\3").file("new", "n")));
  }

  @Test
  void exitsZeroWhenAnImageIsComparedWithItself() {
    assertThat(run("oci-layout:" + dir.resolve("a"), "oci-layout:" + dir.resolve("a") + ":1")).isZero();
    assertThat(stdout()).isEmpty();
  }

  @Test
  void exitsOneAndListsConfigAndFileChangesWhenImagesDiffer() {
    assertThat(run("--content", "oci-layout:" + dir.resolve("a"), "oci-layout:" + dir.resolve("b"))).isEqualTo(1);

    assertThat(stdout())
        .contains("+ user: app")
        .contains("~ layers.count: 1 → 2")
        .contains("M  etc/bin.dat  content sha256:")
        .contains("M  etc/motd  content sha256:")
        .contains("A  new")
        .contains("-world\n+there\n")
        .contains("~ etc/bin.dat: binary content differs, not shown");
  }

  @Test
  void writesOneJsonDocumentWhenFormatIsJson() throws Exception {
    assertThat(run("--format=json", "--content", dir.resolve("a").toString(), dir.resolve("b").toString()))
        .isEqualTo(1);

    JsonNode json = new ObjectMapper().readTree(stdout());
    assertThat(json.path("identical").asBoolean()).isFalse();
    assertThat(json.path("files").findValuesAsText("path")).contains("etc/motd", "new");
    assertThat(json.path("content").get(1).path("linesAdded").asInt()).isEqualTo(1);
  }

  @Test
  void exitsTwoNamingTheLayoutWhenItHasNoSuchTag() {
    assertThat(run("oci-layout:" + dir.resolve("a") + ":9", "oci-layout:" + dir.resolve("b"))).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("oci-layout:" + dir.resolve("a") + ":9")
        .contains("0 entries named \"9\"");
  }

  @Test
  void comparesRegistryReferencesWhenImagesArePushedToASlipwayRegistry() throws Exception {
    try (RegistryServer server = RegistryServer.start(
            RegistryConfig.defaults(dir.resolve("registry")).withAddress("127.0.0.1", 0));
        RegistryClient client = RegistryClient.create(ClientSettings.defaults(), CredentialSource.anonymous());
        FileBlobStore store = FileBlobStore.open(dir.resolve("store"))) {
      String host = server.baseUri().getAuthority();
      Repository repository = Repository.of(host, "app");
      Descriptor a = OciLayout.read(dir.resolve("a"), "1", store);
      Descriptor b = OciLayout.read(dir.resolve("b"), "2", store);
      client.push(store, a, repository, List.of("1"), null, TransferListener.none());
      client.push(store, b, repository, List.of("2"), null, TransferListener.none());

      assertThat(run(host + "/app:1", host + "/app:2")).isEqualTo(1);
      assertThat(stdout()).contains("+ user: app").contains("M  etc/motd").contains("A  new");
      assertThat(run(host + "/app:1", host + "/app@" + a.digest())).isZero();
    }
  }
}
