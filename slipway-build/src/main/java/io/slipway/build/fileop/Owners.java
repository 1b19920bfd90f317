package io.slipway.build.fileop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Resolves a {@code --chown} value ({@code user}, {@code user:group}, names or numbers) to numeric
 * ids with the target's own {@code /etc/passwd} and {@code /etc/group}, as the reference builder
 * does: without a group, a user name takes its primary group from {@code /etc/passwd} and a
 * numeric uid is also the gid; numbers need no file. Stateless and thread-safe.
 */
public final class Owners {

  /** A numeric owner. Immutable. */
  public record Owner(int uid, int gid) {}

  private Owners() {}

  /** The owner {@code spec} names in the file system seen through {@code view}. */
  public static Owner resolve(String spec, LayeredView view) throws IOException {
    int colon = spec.indexOf(':');
    String user = colon < 0 ? spec : spec.substring(0, colon);
    String group = colon < 0 ? "" : spec.substring(colon + 1);
    int uid;
    int gid;
    if (user.isEmpty()) {
      throw new FileOpException("invalid --chown \"" + spec + "\": the user part is empty");
    }
    if (isNumber(user)) {
      uid = Integer.parseInt(user);
      // Reference behaviour: a numeric user without a group uses the uid as the gid.
      gid = uid;
    } else {
      String[] entry = find(view, "/etc/passwd", 0, user).orElseThrow(() -> new FileOpException(
          "unable to find user " + user + ": no matching entries in the target's /etc/passwd"
              + " (use a numeric id, or create the user in an earlier step)"));
      uid = parseId(entry[2], -1);
      // The reference builder (and buildah) give a named user its passwd group, as login does;
      // found by BuildahDifferentialTest on WORKDIR under USER.
      gid = parseId(entry[3], -1);
      if (uid < 0 || gid < 0) {
        throw new FileOpException("invalid /etc/passwd entry for user " + user);
      }
    }
    if (!group.isEmpty()) {
      if (isNumber(group)) {
        gid = Integer.parseInt(group);
      } else {
        String[] entry = find(view, "/etc/group", 0, group).orElseThrow(() -> new FileOpException(
            "unable to find group " + group + ": no matching entries in the target's /etc/group"
                + " (use a numeric id, or create the group in an earlier step)"));
        gid = parseId(entry[2], -1);
        if (gid < 0) {
          throw new FileOpException("invalid /etc/group entry for group " + group);
        }
      }
    }
    return new Owner(uid, gid);
  }

  private static boolean isNumber(String text) {
    return !text.isEmpty() && text.length() < 10 && text.chars().allMatch(Character::isDigit);
  }

  private static int parseId(String text, int fallback) {
    return isNumber(text) ? Integer.parseInt(text) : fallback;
  }

  private static Optional<String[]> find(LayeredView view, String file, int field, String value)
      throws IOException {
    String resolved = view.resolve(file, true);
    Optional<Path> host = view.locate(resolved);
    if (host.isEmpty() || !Files.isRegularFile(host.get())) {
      return Optional.empty();
    }
    for (String line : Files.readAllLines(host.get(), StandardCharsets.UTF_8)) {
      String[] parts = line.split(":", -1);
      if (parts.length > field + 1 && parts.length >= 4 && parts[field].equals(value)) {
        return Optional.of(parts);
      }
    }
    return Optional.empty();
  }
}
