package io.slipway.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {

  private static final String HEX64 = "a".repeat(64);
  private static final String HEX128 = "0123456789abcdef".repeat(8);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
        "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
      })
  void doesRoundTripWhenDigestIsValid(String text) {
    Digest digest = Digest.parse(text);

    assertThat(digest.toString()).isEqualTo(text);
    assertThat(Digest.isValid(text)).isTrue();
  }

  static Stream<Arguments> invalidDigests() {
    return Stream.of(
        Arguments.of("", "invalid digest \"\": empty"),
        Arguments.of(
            "sha256",
            "invalid digest \"sha256\": missing \":\" between algorithm and encoded part"),
        Arguments.of(
            ":" + HEX64,
            "invalid digest \":" + HEX64
                + "\": algorithm \"\" is not lowercase components joined by + . _ -"),
        Arguments.of(
            "SHA256:" + HEX64,
            "invalid digest \"SHA256:" + HEX64
                + "\": algorithm \"SHA256\" is not lowercase components joined by + . _ -"),
        Arguments.of(
            "sha256+:" + HEX64,
            "invalid digest \"sha256+:" + HEX64
                + "\": algorithm \"sha256+\" is not lowercase components joined by + . _ -"),
        Arguments.of(
            "sha256:",
            "invalid digest \"sha256:\": encoded part after \":\" is empty"),
        Arguments.of(
            "sha256:abc/def",
            "invalid digest \"sha256:abc/def\": encoded part may only hold letters, digits,"
                + " \"=\", \"_\" and \"-\""),
        Arguments.of(
            "md5:d41d8cd98f00b204e9800998ecf8427e",
            "invalid digest \"md5:d41d8cd98f00b204e9800998ecf8427e\": unsupported algorithm"
                + " \"md5\" (use sha256 or sha512)"),
        Arguments.of(
            "multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8",
            "invalid digest \"multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8\":"
                + " unsupported algorithm \"multihash+base58\" (use sha256 or sha512)"),
        Arguments.of(
            "sha256:abc",
            "invalid digest \"sha256:abc\": sha256 needs 64 lowercase hex characters, got 3"
                + " characters"),
        Arguments.of(
            "sha256:" + HEX64 + "a",
            "invalid digest \"sha256:" + HEX64
                + "a\": sha256 needs 64 lowercase hex characters, got 65 characters"),
        Arguments.of(
            "sha512:" + HEX64,
            "invalid digest \"sha512:" + HEX64
                + "\": sha512 needs 128 lowercase hex characters, got 64 characters"),
        Arguments.of(
            "sha256:" + "A".repeat(64),
            "invalid digest \"sha256:" + "A".repeat(64)
                + "\": sha256 needs lowercase hex characters (0-9, a-f), got others"),
        Arguments.of(
            "sha256:" + "g".repeat(64),
            "invalid digest \"sha256:" + "g".repeat(64)
                + "\": sha256 needs lowercase hex characters (0-9, a-f), got others"),
        Arguments.of(
            "sha512:" + HEX128.toUpperCase(java.util.Locale.ROOT),
            "invalid digest \"sha512:" + HEX128.toUpperCase(java.util.Locale.ROOT)
                + "\": sha512 needs lowercase hex characters (0-9, a-f), got others"),
        Arguments.of(
            " sha256:" + HEX64,
            "invalid digest \" sha256:" + HEX64
                + "\": algorithm \" sha256\" is not lowercase components joined by + . _ -"));
  }

  @ParameterizedTest
  @MethodSource("invalidDigests")
  void rejectsWithExactMessageWhenDigestIsInvalid(String text, String message) {
    assertThatThrownBy(() -> Digest.parse(text))
        .isInstanceOf(InvalidDigestException.class)
        .hasMessage(message)
        .extracting(e -> ((InvalidDigestException) e).input())
        .isEqualTo(text);
    assertThat(Digest.isValid(text)).isFalse();
  }

  @Test
  void rejectsWhenDigestIsNull() {
    assertThatThrownBy(() -> Digest.parse(null)).hasMessage("invalid digest \"null\": empty");
  }

  @Test
  void computesKnownSha256WhenGivenBytes() {
    assertThat(Digest.sha256("{}".getBytes(StandardCharsets.UTF_8)))
        .hasToString("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  }

  @Test
  void computesKnownSha512WhenGivenEmptyInput() {
    assertThat(Digest.of(DigestAlgorithm.SHA512, new byte[0]))
        .hasToString(
            "sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
  }

  @Test
  void rejectsWhenConstructedWithWrongLength() {
    assertThatThrownBy(() -> new Digest(DigestAlgorithm.SHA256, "abc"))
        .isInstanceOf(InvalidDigestException.class)
        .hasMessage("invalid digest \"sha256:abc\": sha256 needs 64 lowercase hex characters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"A", "g", "/", ":", "`", "G"})
  void rejectsWhenConstructedWithAnyCharacterOutsideLowercaseHex(String bad) {
    String encoded = HEX64.substring(0, 63) + bad;
    assertThatThrownBy(() -> new Digest(DigestAlgorithm.SHA256, encoded))
        .isInstanceOf(InvalidDigestException.class)
        .hasMessageContaining("lowercase hex");
    assertThat(new Digest(DigestAlgorithm.SHA256, "0123456789abcdef".repeat(4)).encoded())
        .isEqualTo("0123456789abcdef".repeat(4));
  }

  @Test
  void ordersByTextWhenCompared() {
    Digest low = Digest.parse("sha256:" + "0".repeat(64));
    Digest high = Digest.parse("sha256:" + "f".repeat(64));

    assertThat(low).isLessThan(high);
    assertThat(Digest.parse("sha256:" + "0".repeat(64))).isEqualTo(low).hasSameHashCodeAs(low);
  }

  @Test
  void serializesAsJsonStringWhenWritten() {
    Digest digest = Digest.parse("sha256:" + HEX64);

    assertThat(new String(OciJson.canonicalBytes(digest), StandardCharsets.UTF_8))
        .isEqualTo("\"sha256:" + HEX64 + "\"");
  }
}
