package io.slipway.registry.gc;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How long untagged manifests live in the repositories a pattern matches. An untagged manifest
 * is kept when it is among the {@code keepRecent} most recently pushed untagged manifests of its
 * repository, or younger than {@code keepYounger}; both are floors, and a manifest either keeps is
 * kept. Manifests a tag reaches (through an index, or as a referrer of a kept manifest) are never
 * subject to a rule. Immutable.
 *
 * @param repositories a glob over repository names: {@code *} matches within one path component,
 *     {@code **} across components, so {@code ci/**} matches {@code ci/app/cache}
 * @param keepRecent how many of the newest untagged manifests to keep, at least 0
 * @param keepYounger untagged manifests pushed less than this long ago are kept
 */
public record RetentionRule(String repositories, int keepRecent, Duration keepYounger) {
  public RetentionRule {
    Objects.requireNonNull(repositories, "repositories");
    Objects.requireNonNull(keepYounger, "keepYounger");
    if (keepRecent < 0) {
      throw new IllegalArgumentException(
          "keepRecent for " + repositories + " must not be negative: " + keepRecent);
    }
    if (keepYounger.isNegative()) {
      throw new IllegalArgumentException(
          "keepYounger for " + repositories + " must not be negative: " + keepYounger);
    }
  }

  /** True when this rule governs {@code repository}. */
  public boolean matches(String repository) {
    return toRegex(repositories).matcher(repository).matches();
  }

  private static Pattern toRegex(String glob) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
