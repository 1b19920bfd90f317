package io.slipway.oci.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.oci.Digest;
import io.slipway.oci.reference.InvalidReferenceException.Part;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReferenceTest {

  private static final String SHA256 =
      "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
  private static final String SHA512 = "sha512:" + "0123456789abcdef".repeat(8);

  /** Input, normalized form, registry, repository, familiar form. */
  static Stream<Arguments> validReferences() {
    return Stream.of(
        Arguments.of(
            "busybox", "docker.io/library/busybox:latest", "docker.io", "library/busybox",
            "busybox:latest"),
        Arguments.of(
            "busybox:1.36", "docker.io/library/busybox:1.36", "docker.io", "library/busybox",
            "busybox:1.36"),
        Arguments.of(
            "library/busybox", "docker.io/library/busybox:latest", "docker.io",
            "library/busybox", "busybox:latest"),
        Arguments.of(
            "docker.io/busybox", "docker.io/library/busybox:latest", "docker.io",
            "library/busybox", "busybox:latest"),
        Arguments.of(
            "docker.io/library/busybox:1.36", "docker.io/library/busybox:1.36", "docker.io",
            "library/busybox", "busybox:1.36"),
        Arguments.of(
            "index.docker.io/library/busybox", "docker.io/library/busybox:latest", "docker.io",
            "library/busybox", "busybox:latest"),
        Arguments.of(
            "index.docker.io/busybox:musl", "docker.io/library/busybox:musl", "docker.io",
            "library/busybox", "busybox:musl"),
        Arguments.of(
            "user/app", "docker.io/user/app:latest", "docker.io", "user/app", "user/app:latest"),
        Arguments.of(
            "user/app/sub:v1", "docker.io/user/app/sub:v1", "docker.io", "user/app/sub",
            "user/app/sub:v1"),
        Arguments.of(
            "library/busybox/extra", "docker.io/library/busybox/extra:latest", "docker.io",
            "library/busybox/extra", "library/busybox/extra:latest"),
        Arguments.of(
            "ghcr.io/owner/repo:tag", "ghcr.io/owner/repo:tag", "ghcr.io", "owner/repo",
            "ghcr.io/owner/repo:tag"),
        Arguments.of(
            "ghcr.io/owner", "ghcr.io/owner:latest", "ghcr.io", "owner", "ghcr.io/owner:latest"),
        Arguments.of(
            "localhost/foo", "localhost/foo:latest", "localhost", "foo", "localhost/foo:latest"),
        Arguments.of(
            "localhost:5000/foo/bar:dev", "localhost:5000/foo/bar:dev", "localhost:5000",
            "foo/bar", "localhost:5000/foo/bar:dev"),
        // Docker reads a bare "localhost:5000" as the image "localhost" with tag "5000".
        Arguments.of(
            "localhost:5000", "docker.io/library/localhost:5000", "docker.io",
            "library/localhost", "localhost:5000"),
        Arguments.of(
            "127.0.0.1:5000/foo", "127.0.0.1:5000/foo:latest", "127.0.0.1:5000", "foo",
            "127.0.0.1:5000/foo:latest"),
        Arguments.of(
            "[::1]:5000/foo", "[::1]:5000/foo:latest", "[::1]:5000", "foo",
            "[::1]:5000/foo:latest"),
        Arguments.of(
            "[2001:db8::1]/foo:1", "[2001:db8::1]/foo:1", "[2001:db8::1]", "foo",
            "[2001:db8::1]/foo:1"),
        Arguments.of(
            "Example.COM/foo", "Example.COM/foo:latest", "Example.COM", "foo",
            "Example.COM/foo:latest"),
        Arguments.of(
            "my-registry.example.com:443/team/app:2024.01",
            "my-registry.example.com:443/team/app:2024.01", "my-registry.example.com:443",
            "team/app", "my-registry.example.com:443/team/app:2024.01"),
        Arguments.of(
            "registry.local/a/b/c/d", "registry.local/a/b/c/d:latest", "registry.local",
            "a/b/c/d", "registry.local/a/b/c/d:latest"),
        Arguments.of(
            "busybox@" + SHA256, "docker.io/library/busybox@" + SHA256, "docker.io",
            "library/busybox", "busybox@" + SHA256),
        Arguments.of(
            "busybox:1.36@" + SHA256, "docker.io/library/busybox:1.36@" + SHA256, "docker.io",
            "library/busybox", "busybox:1.36@" + SHA256),
        Arguments.of(
            "localhost:5000/foo@" + SHA512, "localhost:5000/foo@" + SHA512, "localhost:5000",
            "foo", "localhost:5000/foo@" + SHA512),
        Arguments.of(
            "a/b.c_d__e-f--g", "docker.io/a/b.c_d__e-f--g:latest", "docker.io",
            "a/b.c_d__e-f--g", "a/b.c_d__e-f--g:latest"),
        Arguments.of(
            "foo:_under", "docker.io/library/foo:_under", "docker.io", "library/foo",
            "foo:_under"),
        Arguments.of(
            "foo:A.b-C_9", "docker.io/library/foo:A.b-C_9", "docker.io", "library/foo",
            "foo:A.b-C_9"),
        Arguments.of(
            "foo:" + "t".repeat(128), "docker.io/library/foo:" + "t".repeat(128), "docker.io",
            "library/foo", "foo:" + "t".repeat(128)),
        Arguments.of(
            "0/1", "docker.io/0/1:latest", "docker.io", "0/1", "0/1:latest"),
        Arguments.of(
            "a".repeat(63), "docker.io/library/" + "a".repeat(63) + ":latest", "docker.io",
            "library/" + "a".repeat(63), "a".repeat(63) + ":latest"),
        Arguments.of(
            "docker.io/" + "a".repeat(237), "docker.io/library/" + "a".repeat(237) + ":latest",
            "docker.io", "library/" + "a".repeat(237), "a".repeat(237) + ":latest"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("validReferences")
  void normalizesWhenReferenceIsValid(
      String input, String normalized, String registry, String repository, String familiar) {
    Reference reference = Reference.parse(input);

    assertThat(reference.toString()).isEqualTo(normalized);
    assertThat(reference.registry()).isEqualTo(registry);
    assertThat(reference.repository().value()).isEqualTo(repository);
    assertThat(reference.familiarString()).isEqualTo(familiar);
    assertThat(Reference.isValid(input)).isTrue();
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("validReferences")
  void parsesToItselfWhenGivenNormalizedForm(String input, String normalized) {
    Reference reference = Reference.parse(normalized);

    assertThat(reference.toString()).isEqualTo(normalized);
    assertThat(reference).isEqualTo(Reference.parse(input));
  }

  static Stream<Arguments> invalidReferences() {
    String hex64 = "a".repeat(64);
    String tagRule =
        "\" may only hold letters, digits, \"_\", \".\" and \"-\", and must not start with \".\""
            + " or \"-\"";
    String componentRule =
        "\" must be lowercase letters and digits separated by \".\", \"_\", \"__\" or \"-\"";
    return Stream.of(
        Arguments.of("", Part.REFERENCE, "reference is empty"),
        Arguments.of("Busybox", Part.REPOSITORY, "repository name must be lowercase"),
        Arguments.of("UPPER/foo", Part.REPOSITORY, "repository name must be lowercase"),
        Arguments.of(
            "docker.io/Library/busybox", Part.REPOSITORY, "repository name must be lowercase"),
        Arguments.of(
            "ghcr.io/Owner/repo:tag", Part.REPOSITORY, "repository name must be lowercase"),
        Arguments.of("foo//bar", Part.REPOSITORY, "repository name has an empty path component"),
        Arguments.of("/foo", Part.REPOSITORY, "repository name has an empty path component"),
        Arguments.of("foo/", Part.REPOSITORY, "repository name has an empty path component"),
        Arguments.of(
            "ghcr.io/foo/", Part.REPOSITORY, "repository name has an empty path component"),
        Arguments.of("docker.io/", Part.REPOSITORY, "repository name is empty"),
        Arguments.of(":tag", Part.REPOSITORY, "repository name is empty"),
        Arguments.of("@" + SHA256, Part.REPOSITORY, "repository name is empty"),
        Arguments.of("busybox:", Part.REFERENCE, "ends with \":\" but has no tag"),
        Arguments.of("localhost:5000/foo:", Part.REFERENCE, "ends with \":\" but has no tag"),
        Arguments.of("busybox@", Part.REFERENCE, "ends with \"@\" but has no digest"),
        Arguments.of("busybox:1@", Part.REFERENCE, "ends with \"@\" but has no digest"),
        Arguments.of("busybox:-bad", Part.TAG, "tag \"-bad" + tagRule),
        Arguments.of("busybox:.bad", Part.TAG, "tag \".bad" + tagRule),
        Arguments.of("busybox:a+b", Part.TAG, "tag \"a+b" + tagRule),
        Arguments.of(
            "busybox:" + "t".repeat(129), Part.TAG,
            "tag must not be more than 128 characters, got 129"),
        Arguments.of(
            "busybox@sha256:abc", Part.DIGEST,
            "invalid digest \"sha256:abc\": sha256 needs 64 lowercase hex characters, got 3"
                + " characters"),
        Arguments.of(
            "busybox@sha256", Part.DIGEST,
            "invalid digest \"sha256\": missing \":\" between algorithm and encoded part"),
        Arguments.of(
            "busybox@md5:d41d8cd98f00b204e9800998ecf8427e", Part.DIGEST,
            "invalid digest \"md5:d41d8cd98f00b204e9800998ecf8427e\": unsupported algorithm"
                + " \"md5\" (use sha256 or sha512)"),
        Arguments.of(
            "busybox@" + SHA256 + "@" + SHA256, Part.DIGEST,
            "invalid digest \"" + SHA256 + "@" + SHA256
                + "\": encoded part may only hold letters, digits, \"=\", \"_\" and \"-\""),
        Arguments.of("foo_/bar", Part.REPOSITORY, "path component \"foo_" + componentRule),
        Arguments.of("-foo", Part.REPOSITORY, "path component \"-foo" + componentRule),
        Arguments.of("foo..bar", Part.REPOSITORY, "path component \"foo..bar" + componentRule),
        Arguments.of("foo___bar", Part.REPOSITORY, "path component \"foo___bar" + componentRule),
        Arguments.of("foo bar", Part.REPOSITORY, "path component \"foo bar" + componentRule),
        Arguments.of("foo:bar:baz", Part.REPOSITORY, "path component \"foo:bar" + componentRule),
        Arguments.of("ghcr.io/a/b$c", Part.REPOSITORY, "path component \"b$c" + componentRule),
        Arguments.of(
            "localhost:abc/foo", Part.REGISTRY,
            "registry port \"abc\" must be a number from 1 to 65535"),
        Arguments.of(
            "localhost:0/foo", Part.REGISTRY,
            "registry port \"0\" must be a number from 1 to 65535"),
        Arguments.of(
            "localhost:65536/foo", Part.REGISTRY,
            "registry port \"65536\" must be a number from 1 to 65535"),
        Arguments.of(
            "localhost:/foo", Part.REGISTRY,
            "registry port \"\" must be a number from 1 to 65535"),
        Arguments.of(
            "exa_mple.com/foo", Part.REGISTRY,
            "registry \"exa_mple.com\" is not a host name, IPv4 address or [IPv6] address with an"
                + " optional port"),
        Arguments.of(
            "-bad.com/foo", Part.REGISTRY,
            "registry \"-bad.com\" is not a host name, IPv4 address or [IPv6] address with an"
                + " optional port"),
        Arguments.of(
            "example..com/foo", Part.REGISTRY,
            "registry \"example..com\" is not a host name, IPv4 address or [IPv6] address with an"
                + " optional port"),
        Arguments.of(
            "[::1/foo", Part.REGISTRY,
            "registry \"[::1\" is not a host name, IPv4 address or [IPv6] address with an"
                + " optional port"),
        Arguments.of(
            hex64, Part.REPOSITORY,
            "a 64-character hex string is not a repository name; write a digest as"
                + " @sha256:<hex>"),
        Arguments.of(
            "a".repeat(256), Part.REPOSITORY,
            "repository name must not be more than 255 characters, got 256"),
        // Docker Hub names count with their normalized prefix, as Docker counts them.
        Arguments.of(
            "a".repeat(240), Part.REPOSITORY,
            "repository name must not be more than 255 characters, got 258"),
        Arguments.of(
            "ghcr.io/" + "a".repeat(248), Part.REPOSITORY,
            "repository name must not be more than 255 characters, got 256"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidReferences")
  void rejectsWithExactMessageWhenReferenceIsInvalid(String input, Part part, String reason) {
    assertThatThrownBy(() -> Reference.parse(input))
        .isInstanceOfSatisfying(
            InvalidReferenceException.class,
            e -> {
              assertThat(e.getMessage())
                  .isEqualTo("invalid reference \"" + input + "\": " + reason);
              assertThat(e.part()).isEqualTo(part);
              assertThat(e.input()).isEqualTo(input);
              assertThat(e.reason()).isEqualTo(reason);
            });
    assertThat(Reference.isValid(input)).isFalse();
  }

  @Test
  void rejectsWhenReferenceIsNull() {
    assertThatThrownBy(() -> Reference.parse(null))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessage("invalid reference \"null\": reference is empty");
  }

  @Test
  void usesDigestAsIdentifierWhenBothTagAndDigestAreGiven() {
    Reference reference = Reference.parse("busybox:1.36@" + SHA256);

    assertThat(reference.identifier()).isEqualTo(SHA256);
    assertThat(reference.tag()).contains(Tag.parse("1.36"));
    assertThat(reference.digest()).contains(Digest.parse(SHA256));
  }

  @Test
  void usesTagAsIdentifierWhenNoDigestIsGiven() {
    assertThat(Reference.parse("busybox").identifier()).isEqualTo("latest");
    assertThat(Reference.parse("busybox:1.36").identifier()).isEqualTo("1.36");
  }

  @Test
  void addsNoTagWhenOnlyDigestIsGiven() {
    Reference reference = Reference.parse("busybox@" + SHA256);

    assertThat(reference.tag()).isEmpty();
    assertThat(reference.identifier()).isEqualTo(SHA256);
  }

  @Test
  void sendsApiRequestsToRegistryOneWhenRegistryIsDockerHub() {
    assertThat(Reference.parse("busybox").apiHost()).isEqualTo("registry-1.docker.io");
    assertThat(Reference.parse("busybox").isDockerHub()).isTrue();
    assertThat(Reference.parse("localhost:5000/a").apiHost()).isEqualTo("localhost:5000");
    assertThat(Reference.parse("localhost:5000/a").isDockerHub()).isFalse();
  }

  @Test
  void givesFullAndFamiliarNamesWhenAsked() {
    Reference official = Reference.parse("busybox:1.36");
    Reference user = Reference.parse("user/app");
    Reference other = Reference.parse("ghcr.io/o/r");

    assertThat(official.name()).isEqualTo("docker.io/library/busybox");
    assertThat(official.familiarName()).isEqualTo("busybox");
    assertThat(user.familiarName()).isEqualTo("user/app");
    assertThat(other.familiarName()).isEqualTo("ghcr.io/o/r");
  }

  @Test
  void replacesTagAndDigestWhenAsked() {
    Reference reference = Reference.parse("busybox:1.36");
    Digest digest = Digest.parse(SHA256);

    assertThat(reference.withDigest(digest).toString())
        .isEqualTo("docker.io/library/busybox:1.36@" + SHA256);
    assertThat(reference.withDigest(digest).withTag(null).toString())
        .isEqualTo("docker.io/library/busybox@" + SHA256);
    assertThat(reference.withTag(Tag.parse("musl")).toString())
        .isEqualTo("docker.io/library/busybox:musl");
    assertThat(reference.withTag(null).toString()).isEqualTo("docker.io/library/busybox:latest");
  }

  @Test
  void keepsRepositoryAndTagWhenMovedToAnotherRegistry() {
    Reference moved = Reference.parse("busybox:1.36").withRegistry("localhost:5000");

    assertThat(moved.toString()).isEqualTo("localhost:5000/library/busybox:1.36");
  }

  @Test
  void rejectsBadRegistryWhenBuiltFromParts() {
    assertThatThrownBy(
            () -> Reference.of("bad_host", RepositoryName.parse("a"), Tag.LATEST, null))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessage(
            "invalid reference \"bad_host/a\": registry \"bad_host\" is not a host name, IPv4"
                + " address or [IPv6] address with an optional port");
  }

  @Test
  void defaultsToLatestWhenBuiltFromPartsWithoutTagOrDigest() {
    Reference reference = Reference.of("ghcr.io", RepositoryName.parse("o/r"), null, null);

    assertThat(reference.toString()).isEqualTo("ghcr.io/o/r:latest");
  }

  @Test
  void isEqualWhenNormalizedFormsAreEqual() {
    assertThat(Reference.parse("busybox"))
        .isEqualTo(Reference.parse("index.docker.io/library/busybox:latest"))
        .hasSameHashCodeAs(Reference.parse("docker.io/busybox"));
    assertThat(Reference.parse("busybox")).isNotEqualTo(Reference.parse("busybox:1"));
  }
}
