package io.slipway.build.run;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The numeric identity a RUN process gets: user id, primary group id, supplementary group ids and,
 * when the user has a passwd entry, its home directory (for {@code HOME}). Immutable.
 */
public record ResolvedUser(int uid, int gid, List<Integer> additionalGids, Optional<String> home) {

  public ResolvedUser {
    additionalGids = List.copyOf(additionalGids);
    Objects.requireNonNull(home, "home");
  }

  /** {@code root}: what an empty USER means. */
  public static ResolvedUser root() {
    return new ResolvedUser(0, 0, List.of(), Optional.empty());
  }
}
