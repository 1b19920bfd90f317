package io.slipway.build.solver;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.build.context.ContextEntry;
import io.slipway.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SelectionChecksumsTest {

  private static final SelectionChecksums.Key KEY =
      new SelectionChecksums.Key("/ctx/", List.of(), List.of("src"));
  private static final Digest CHECKSUM = digest("checksum");

  private static Digest digest(String text) {
    return Digest.sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  private static ContextEntry file(String path, long changedNanos) {
    return new ContextEntry(path, ContextEntry.Type.FILE, 0100644, 3, 10, changedNanos, 7,
        Optional.empty());
  }

  private static final ContextEntry DIRECTORY =
      new ContextEntry("src", ContextEntry.Type.DIRECTORY, 040755, 0, 1, 1, 5, Optional.empty());

  @Test
  void givesChecksumOfEqualEntriesWithEqualDigests() {
    SelectionChecksums memo = new SelectionChecksums(10);
    memo.remember(KEY, List.of(DIRECTORY, file("src/a", 20)),
        new Digest[] {null, digest("a")}, CHECKSUM);

    assertThat(memo.find(KEY, List.of(DIRECTORY, file("src/a", 20)),
        new Digest[] {null, digest("a")})).contains(CHECKSUM);
  }

  @Test
  void givesNothingWhenAnEntryOrADigestDiffers() {
    SelectionChecksums memo = new SelectionChecksums(10);
    memo.remember(KEY, List.of(DIRECTORY, file("src/a", 20)),
        new Digest[] {null, digest("a")}, CHECKSUM);

    assertThat(memo.find(KEY, List.of(DIRECTORY, file("src/a", 21)),
        new Digest[] {null, digest("a")})).as("change time").isEmpty();
    assertThat(memo.find(KEY, List.of(DIRECTORY, file("src/a", 20)),
        new Digest[] {null, digest("b")})).as("content digest").isEmpty();
    assertThat(memo.find(KEY, List.of(DIRECTORY, file("src/a", 20), file("src/b", 20)),
        new Digest[] {null, digest("a"), digest("b")})).as("one more entry").isEmpty();
    assertThat(memo.find(new SelectionChecksums.Key("/ctx/", List.of(), List.of("other")),
        List.of(DIRECTORY, file("src/a", 20)), new Digest[] {null, digest("a")}))
        .as("another selection").isEmpty();
  }

  @Test
  void keepsInputsOfNoMoreEntriesThanBound() {
    SelectionChecksums memo = new SelectionChecksums(2);
    SelectionChecksums.Key other = new SelectionChecksums.Key("/ctx/", List.of(), List.of("b"));
    memo.remember(KEY, List.of(DIRECTORY, file("src/a", 20)),
        new Digest[] {null, digest("a")}, CHECKSUM);

    memo.remember(other, List.of(file("b", 1)), new Digest[] {digest("b")}, digest("other"));

    assertThat(memo.find(KEY, List.of(DIRECTORY, file("src/a", 20)),
        new Digest[] {null, digest("a")})).as("evicted").isEmpty();
    assertThat(memo.find(other, List.of(file("b", 1)), new Digest[] {digest("b")}))
        .contains(digest("other"));
  }
}
