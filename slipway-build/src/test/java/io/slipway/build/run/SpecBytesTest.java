package io.slipway.build.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.build.graph.Operation;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecBytesTest {

  private static RuntimeSpec spec(String command, String hostsSource) {
    return new RuntimeSpec(
        List.of("/bin/sh", "-c", command), List.of("A=1"), "/", ResolvedUser.root(),
        Operation.NetworkMode.DEFAULT, false, "sandbox",
        List.of(SpecMount.bind("/etc/hosts", hostsSource, false)));
  }

  @Test
  void reusesTheBytesOfAnEqualSpecWhenKept() throws IOException {
    SpecBytes specs = new SpecBytes();

    byte[] first = specs.of(spec("true", "etc/hosts"), true);
    byte[] second = specs.of(spec("true", "etc/hosts"), true);

    assertThat(second).isSameAs(first);
    assertThat(new ObjectMapper().readTree(second))
        .isEqualTo(spec("true", "etc/hosts").toJson());
  }

  @Test
  void serializesAgainWhenAnyPartOfTheSpecDiffers() throws IOException {
    SpecBytes specs = new SpecBytes();
    byte[] first = specs.of(spec("true", "etc/hosts"), true);

    byte[] otherCommand = specs.of(spec("false", "etc/hosts"), true);
    byte[] otherSource = specs.of(spec("false", "/elsewhere/hosts"), true);

    assertThat(otherCommand).isNotSameAs(first);
    assertThat(new ObjectMapper().readTree(otherCommand).at("/process/args/2").asText())
        .isEqualTo("false");
    assertThat(new ObjectMapper().readTree(otherSource).at("/mounts/6/source").asText())
        .isEqualTo("/elsewhere/hosts");
  }

  @Test
  void neverKeepsASpecItWasToldNotToKeep() throws IOException {
    SpecBytes specs = new SpecBytes();
    RuntimeSpec secret = spec("use-secret", "etc/hosts");

    byte[] first = specs.of(secret, false);
    byte[] second = specs.of(secret, false);

    assertThat(second).isNotSameAs(first).isEqualTo(first);
  }
}
