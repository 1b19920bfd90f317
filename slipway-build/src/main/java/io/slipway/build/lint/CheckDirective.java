package io.slipway.build.lint;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code # check=} directive (or {@code BUILDKIT_DOCKERFILE_CHECK} build arg):
 * {@code skip=Rule1,Rule2} or {@code skip=all} turns rules off, {@code error=true} makes any
 * remaining finding fail the check. Unknown keys are ignored, as the reference does. Immutable.
 */
public record CheckDirective(Set<String> skipped, boolean skipAll, boolean error) {

  /** No rule skipped, findings are warnings. */
  public static final CheckDirective DEFAULT = new CheckDirective(Set.of(), false, false);

  public CheckDirective {
    skipped = Set.copyOf(skipped);
  }

  /** Parses {@code skip=…;error=…}. */
  public static CheckDirective parse(String value) {
    Set<String> skipped = new LinkedHashSet<>();
    boolean all = false;
    boolean error = false;
    for (String part : value.split(";")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String val = part.substring(eq + 1).strip();
      switch (key) {
        case "skip" -> {
          for (String rule : val.split(",")) {
            String name = rule.strip();
            if (name.equalsIgnoreCase("all")) {
              all = true;
            } else if (!name.isEmpty()) {
              skipped.add(name.toLowerCase(Locale.ROOT));
            }
          }
        }
        case "error" -> error = Boolean.parseBoolean(val);
        default -> {}
      }
    }
    return new CheckDirective(skipped, all, error);
  }

  /** True when {@code rule} is turned off. */
  public boolean skips(LintRule rule) {
    return skipAll || skipped.contains(rule.ruleName().toLowerCase(Locale.ROOT));
  }
}
