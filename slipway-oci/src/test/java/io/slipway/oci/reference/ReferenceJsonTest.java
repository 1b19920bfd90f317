package io.slipway.oci.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.oci.OciJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferenceJsonTest {

  /** A document shaped like what the CLI and registry exchange: names, tags and images. */
  record Sample(RepositoryName name, List<Tag> tags, Reference image) {}

  private static Sample read(String json) {
    return OciJson.read(
        json.getBytes(StandardCharsets.UTF_8), Sample.class, IllegalArgumentException::new);
  }

  @Test
  void writesPlainStringsWhenSerialized() {
    Sample sample =
        new Sample(
            RepositoryName.parse("library/busybox"),
            List.of(Tag.parse("1.36"), Tag.LATEST),
            Reference.parse("busybox"));

    assertThat(new String(OciJson.canonicalBytes(sample), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"name\":\"library/busybox\",\"tags\":[\"1.36\",\"latest\"],"
                + "\"image\":\"docker.io/library/busybox:latest\"}");
  }

  @Test
  void normalizesWhenReadFromStrings() {
    Sample sample = read("{\"name\":\"a/b\",\"tags\":[\"v1\"],\"image\":\"user/app:v1\"}");

    assertThat(sample.name()).isEqualTo(RepositoryName.parse("a/b"));
    assertThat(sample.tags()).containsExactly(Tag.parse("v1"));
    assertThat(sample.image()).hasToString("docker.io/user/app:v1");
  }

  @Test
  void namesFieldAndRuleWhenAStringIsInvalid() {
    assertThatThrownBy(() -> read("{\"name\":\"A/b\"}"))
        .hasMessage("name: invalid repository name \"A/b\": repository name must be lowercase");
    assertThatThrownBy(() -> read("{\"tags\":[\"ok\",\"-no\"]}"))
        .hasMessageStartingWith("tags[1]: invalid tag \"-no\"");
    assertThatThrownBy(() -> read("{\"image\":\"busybox:\"}"))
        .hasMessage("image: invalid reference \"busybox:\": ends with \":\" but has no tag");
  }
}
