package io.slipway.build.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Turns a Dockerfile {@code USER} value into numeric ids using the {@code /etc/passwd} and
 * {@code /etc/group} of the root file system the step runs in, with the reference runtime's rules:
 *
 * <ul>
 *   <li>empty means root (0:0);
 *   <li>a name must have a passwd entry; a number need not (its group is then 0);
 *   <li>{@code user:group} takes the group by name (which must exist) or by number, and then no
 *       other supplementary groups are added;
 *   <li>without an explicit group, the supplementary groups are every group that lists the user's
 *       name as a member;
 *   <li>the primary group is always the first supplementary group.
 * </ul>
 *
 * Stateless; safe for concurrent use.
 */
public final class UserResolver {

  private UserResolver() {}

  /** Resolves {@code user} against the files under {@code rootfs}. */
  public static ResolvedUser resolve(String user, Path rootfs) throws IOException {
    return resolve(
        user,
        read(ContainedPath.resolve(rootfs, "/etc/passwd")),
        read(ContainedPath.resolve(rootfs, "/etc/group")));
  }

  /** Resolves {@code user} against the contents of a passwd and a group file. */
  public static ResolvedUser resolve(String user, String passwd, String group) {
    if (user.isEmpty()) {
      // No USER is uid 0, with its home directory and groups when the image names them.
      return resolve("0", passwd, group);
    }
    int colon = user.indexOf(':');
    String userPart = colon < 0 ? user : user.substring(0, colon);
    String groupPart = colon < 0 ? "" : user.substring(colon + 1);
    if (userPart.isEmpty()) {
      throw new UnknownUserException(user, "the user part is empty");
    }
    List<String[]> users = entries(passwd, 7);
    Optional<String[]> entry =
        users.stream()
            .filter(u -> u[0].equals(userPart))
            .findFirst()
            .or(
                () ->
                    isNumber(userPart)
                        ? users.stream().filter(u -> u[2].equals(userPart)).findFirst()
                        : Optional.empty());
    int uid;
    int gid;
    Optional<String> home;
    String name;
    if (entry.isPresent()) {
      String[] u = entry.get();
      uid = id(u[2], user);
      gid = id(u[3], user);
      home = u[5].isEmpty() ? Optional.empty() : Optional.of(u[5]);
      name = u[0];
    } else if (isNumber(userPart)) {
      uid = id(userPart, user);
      gid = 0;
      home = Optional.empty();
      name = null;
    } else {
      throw new UnknownUserException(
          user, "no user named \"" + userPart + "\" in the image's /etc/passwd");
    }
    List<String[]> groups = entries(group, 4);
    List<Integer> additional = new ArrayList<>();
    if (!groupPart.isEmpty()) {
      Optional<String[]> g =
          groups.stream().filter(e -> e[0].equals(groupPart)).findFirst();
      if (g.isPresent()) {
        gid = id(g.get()[2], user);
      } else if (isNumber(groupPart)) {
        gid = id(groupPart, user);
      } else {
        throw new UnknownUserException(
            user, "no group named \"" + groupPart + "\" in the image's /etc/group");
      }
    } else if (name != null) {
      for (String[] g : groups) {
        if (Arrays.asList(g[3].split(",")).contains(name)) {
          int member = id(g[2], user);
          if (member != gid && !additional.contains(member)) {
            additional.add(member);
          }
        }
      }
    }
    // The primary group is always a supplementary group too, as login does; without it a group
    // that denies access by group entry could be bypassed (CVE-2023-25173).
    additional.addFirst(gid);
    return new ResolvedUser(uid, gid, additional, home);
  }

  private static String read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return "";
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /** Colon-separated lines padded to {@code fields} fields; comments and blank lines skipped. */
  private static List<String[]> entries(String text, int fields) {
    List<String[]> result = new ArrayList<>();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] parts = Arrays.copyOf(trimmed.split(":", -1), fields);
      for (int i = 0; i < fields; i++) {
        if (parts[i] == null) {
          parts[i] = "";
        }
      }
      // Entries whose ids are not numbers are skipped, as the C library does.
      if (!isNumber(parts[2]) || (fields == 7 && !isNumber(parts[3]))) {
        continue;
      }
      result.add(parts);
    }
    return result;
  }

  private static boolean isNumber(String s) {
    if (s.isEmpty() || s.length() > 10) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return Long.parseLong(s) <= Integer.MAX_VALUE;
  }

  private static int id(String s, String user) {
    if (!isNumber(s)) {
      throw new UnknownUserException(user, "\"" + s + "\" is not a valid numeric id");
    }
    return Integer.parseInt(s);
  }
}
