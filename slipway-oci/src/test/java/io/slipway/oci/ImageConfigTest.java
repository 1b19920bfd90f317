package io.slipway.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.oci.ImageConfig.Healthcheck;
import io.slipway.oci.ImageConfig.History;
import io.slipway.oci.ImageConfig.RunConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageConfigTest {

  private static final String DIFF1 =
      "sha256:b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c";
  private static final String DIFF2 =
      "sha256:7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730";

  // Shaped like what `docker build` writes, including fields Slipway does not model.
  private static final String DOCKER_CONFIG =
      """
      {
        "architecture": "arm64",
        "variant": "v8",
        "os": "linux",
        "created": "2024-05-01T12:34:56.123456789Z",
        "author": "someone",
        "docker_version": "24.0.7",
        "container": "3b7f0a2c",
        "container_config": {"Hostname": "x", "Cmd": ["/bin/sh"]},
        "config": {
          "Hostname": "",
          "User": "app",
          "ExposedPorts": {"8080/tcp": {}, "53/udp": {}},
          "Env": ["PATH=/usr/bin:/bin", "LANG=C.UTF-8"],
          "Entrypoint": ["/entry.sh"],
          "Cmd": null,
          "Volumes": {"/data": {}},
          "WorkingDir": "/srv",
          "Labels": {"z": "1", "a": "2"},
          "StopSignal": "SIGTERM",
          "Healthcheck": {"Test": ["CMD-SHELL", "curl -f localhost"], "Interval": 30000000000,
                          "Retries": 3},
          "OnBuild": ["RUN echo hi"],
          "Shell": ["/bin/bash", "-c"],
          "AttachStdin": false
        },
        "rootfs": {"type": "layers", "diff_ids": ["%s", "%s"]},
        "history": [
          {"created": "2024-05-01T12:00:00Z", "created_by": "/bin/sh -c #(nop) ADD file:abc in /"},
          {"created": "2024-05-01T12:00:01Z", "created_by": "ENV LANG=C.UTF-8", "empty_layer": true},
          {"created": "2024-05-01T12:00:02Z", "created_by": "RUN make", "comment": "buildkit"}
        ]
      }
      """
          .formatted(DIFF1, DIFF2);

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsEveryModelledFieldWhenConfigComesFromDocker() {
    ImageConfig config = ImageConfig.parse(utf8(DOCKER_CONFIG));
    RunConfig run = config.config();

    assertThat(config.platform()).isEqualTo(Platform.of("linux", "arm64", "v8"));
    assertThat(config.createdAt()).contains(Instant.parse("2024-05-01T12:34:56.123456789Z"));
    assertThat(config.author()).isEqualTo("someone");
    assertThat(run.user()).isEqualTo("app");
    assertThat(run.exposedPorts()).containsExactly("53/udp", "8080/tcp");
    assertThat(run.env()).containsExactly("PATH=/usr/bin:/bin", "LANG=C.UTF-8");
    assertThat(run.entrypoint()).containsExactly("/entry.sh");
    assertThat(run.cmd()).isEmpty();
    assertThat(run.volumes()).containsExactly("/data");
    assertThat(run.workingDir()).isEqualTo("/srv");
    assertThat(run.labels()).containsExactly(Map.entry("a", "2"), Map.entry("z", "1"));
    assertThat(run.stopSignal()).isEqualTo("SIGTERM");
    assertThat(run.healthcheck())
        .isEqualTo(
            new Healthcheck(List.of("CMD-SHELL", "curl -f localhost"), 30_000_000_000L, 0, 0, 0, 3));
    assertThat(run.onBuild()).containsExactly("RUN echo hi");
    assertThat(run.shell()).containsExactly("/bin/bash", "-c");
    assertThat(config.diffIds())
        .containsExactly(Digest.parse(DIFF1), Digest.parse(DIFF2));
    assertThat(config.history()).hasSize(3);
    assertThat(config.history().get(1).emptyLayer()).isTrue();
    assertThat(config.history().get(2).comment()).isEqualTo("buildkit");
  }

  @Test
  void writesCanonicalDockerFieldNamesWhenSerialized() {
    ImageConfig config = ImageConfig.parse(utf8(DOCKER_CONFIG));

    assertThat(new String(config.toBytes(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"created\":\"2024-05-01T12:34:56.123456789Z\",\"author\":\"someone\","
                + "\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\","
                + "\"config\":{\"User\":\"app\",\"ExposedPorts\":{\"53/udp\":{},\"8080/tcp\":{}},"
                + "\"Env\":[\"PATH=/usr/bin:/bin\",\"LANG=C.UTF-8\"],"
                + "\"Entrypoint\":[\"/entry.sh\"],\"Volumes\":{\"/data\":{}},"
                + "\"WorkingDir\":\"/srv\",\"Labels\":{\"a\":\"2\",\"z\":\"1\"},"
                + "\"StopSignal\":\"SIGTERM\","
                + "\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"curl -f localhost\"],"
                + "\"Interval\":30000000000,\"Retries\":3},"
                + "\"OnBuild\":[\"RUN echo hi\"],\"Shell\":[\"/bin/bash\",\"-c\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + DIFF1 + "\",\"" + DIFF2
                + "\"]},"
                + "\"history\":[{\"created\":\"2024-05-01T12:00:00Z\","
                + "\"created_by\":\"/bin/sh -c #(nop) ADD file:abc in /\"},"
                + "{\"created\":\"2024-05-01T12:00:01Z\",\"created_by\":\"ENV LANG=C.UTF-8\","
                + "\"empty_layer\":true},"
                + "{\"created\":\"2024-05-01T12:00:02Z\",\"created_by\":\"RUN make\","
                + "\"comment\":\"buildkit\"}]}");
  }

  @Test
  void producesIdenticalBytesWhenReadBackAndWrittenAgain() {
    byte[] first = ImageConfig.parse(utf8(DOCKER_CONFIG)).toBytes();

    assertThat(ImageConfig.parse(first).toBytes()).isEqualTo(first);
    assertThat(ImageConfig.parse(first)).isEqualTo(ImageConfig.parse(utf8(DOCKER_CONFIG)));
  }

  @Test
  void writesMinimalDocumentWhenConfigIsNew() {
    ImageConfig config = ImageConfig.of(Platform.of("linux", "amd64"));

    assertThat(new String(config.toBytes(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
  }

  @Test
  void appendsDiffIdAndHistoryWhenLayerIsAdded() {
    Instant when = Instant.parse("2024-01-02T03:04:05Z");
    ImageConfig config =
        ImageConfig.of(Platform.of("linux", "amd64"))
            .withLayer(Digest.parse(DIFF1), History.of(when, "COPY . /app"))
            .withEmptyLayerHistory(History.of(when, "CMD [\"app\"]"))
            .withCreated(when);

    assertThat(config.diffIds()).containsExactly(Digest.parse(DIFF1));
    assertThat(config.history())
        .extracting(History::createdBy, History::emptyLayer)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("COPY . /app", false),
            org.assertj.core.groups.Tuple.tuple("CMD [\"app\"]", true));
    assertThat(config.created()).isEqualTo("2024-01-02T03:04:05Z");
    assertThat(config.history().get(0).createdAt()).contains(when);
  }

  @Test
  void rejectsWhenLayerHistoryIsMarkedEmpty() {
    ImageConfig config = ImageConfig.of(Platform.of("linux", "amd64"));

    assertThatThrownBy(
            () -> config.withLayer(Digest.parse(DIFF1), History.of(null, "x").asEmptyLayer()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a history entry for a layer cannot be marked empty_layer");
  }

  @Test
  void replacesEnvironmentVariableInPlaceWhenSetAgain() {
    RunConfig run =
        RunConfig.EMPTY.withEnv(List.of("A=1", "PATH=/bin", "B=2"))
            .withEnvValue("PATH", "/usr/bin:/bin")
            .withEnvValue("C", "3");

    assertThat(run.env()).containsExactly("A=1", "PATH=/usr/bin:/bin", "B=2", "C=3");
    assertThat(run.envValue("PATH")).contains("/usr/bin:/bin");
    assertThat(run.envValue("MISSING")).isEmpty();
  }

  @Test
  void keepsRunConfigValuesWhenWithersAreChained() {
    RunConfig run =
        RunConfig.EMPTY
            .withUser("1000:1000")
            .withExposedPorts(Set.of("80/tcp"))
            .withEntrypoint(List.of("/bin/app"))
            .withCmd(List.of("--serve"))
            .withVolumes(Set.of("/var/lib/app"))
            .withWorkingDir("/app")
            .withLabels(Map.of("k", "v"))
            .withStopSignal("SIGINT")
            .withArgsEscaped(true)
            .withHealthcheck(new Healthcheck(List.of("NONE"), 0, 0, 0, 0, 0))
            .withOnBuild(List.of("RUN x"))
            .withShell(List.of("/bin/sh", "-c"));

    assertThat(run)
        .isEqualTo(
            new RunConfig(
                "1000:1000", Set.of("80/tcp"), List.of(), List.of("/bin/app"), List.of("--serve"),
                Set.of("/var/lib/app"), "/app", Map.of("k", "v"), "SIGINT", true,
                new Healthcheck(List.of("NONE"), 0, 0, 0, 0, 0), List.of("RUN x"),
                List.of("/bin/sh", "-c")));
    assertThat(new String(OciJson.canonicalBytes(run), StandardCharsets.UTF_8))
        .contains("\"ArgsEscaped\":true", "\"Healthcheck\":{\"Test\":[\"NONE\"]}");
  }

  @Test
  void readsNothingMissingWhenConfigIsEmptyObject() {
    ImageConfig config = ImageConfig.parse(utf8("{}"));

    assertThat(config.config()).isEqualTo(RunConfig.EMPTY);
    assertThat(config.rootfs()).isEqualTo(ImageConfig.RootFs.EMPTY);
    assertThat(config.platform().matches(Platform.of("linux", "amd64"))).isFalse();
    assertThat(config.createdAt()).isEmpty();
  }

  @Test
  void readsNoTimeWhenCreatedIsNotRfc3339() {
    assertThat(ImageConfig.parse(utf8("{\"created\":\"yesterday\"}")).createdAt()).isEmpty();
  }

  @Test
  void readsOffsetTimesWhenCreatedHasOffset() {
    assertThat(ImageConfig.parse(utf8("{\"created\":\"2024-01-01T02:00:00+02:00\"}")).createdAt())
        .contains(Instant.parse("2024-01-01T00:00:00Z"));
  }

  @Test
  void namesTheFieldWhenDiffIdIsInvalid() {
    assertThatThrownBy(
            () -> ImageConfig.parse(utf8("{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"x\"]}}")))
        .isInstanceOf(InvalidImageConfigException.class)
        .hasMessage(
            "invalid image config: rootfs.diff_ids[0]: invalid digest \"x\": missing \":\""
                + " between algorithm and encoded part");
  }

  @Test
  void namesTheFieldWhenExposedPortsIsNotAnObject() {
    assertThatThrownBy(
            () -> ImageConfig.parse(utf8("{\"config\":{\"ExposedPorts\":[\"80/tcp\"]}}")))
        .isInstanceOf(InvalidImageConfigException.class)
        .hasMessage(
            "invalid image config: config.ExposedPorts: expected an object whose keys are the"
                + " entries, got ARRAY");
  }

  @Test
  void rejectsWhenConfigIsNotJson() {
    assertThatThrownBy(() -> ImageConfig.parse(utf8("{")))
        .isInstanceOf(InvalidImageConfigException.class)
        .hasMessageStartingWith("invalid image config: ");
  }
}
