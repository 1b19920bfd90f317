package io.slipway.cli;

import io.slipway.build.run.BuildSession;
import io.slipway.build.run.SecretStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns {@code slipway build}'s {@code --secret}, {@code --ssh} and {@code --allow} flags into the
 * {@link BuildSession} handed to RUN steps, with the reference builder's rules:
 *
 * <ul>
 *   <li>{@code --secret id=ID,src=FILE} (or {@code source=}) reads FILE at each use;
 *       {@code id=ID,env=VAR} takes VAR's value; {@code type=env} makes {@code src} name a
 *       variable; {@code id=ID} alone takes the variable named ID when it is set, else the file
 *       named ID.
 *   <li>{@code --ssh default} forwards {@code $SSH_AUTH_SOCK}; {@code --ssh ID=SOCKET} forwards
 *       that socket under ID. Only agent sockets can be forwarded, not key files.
 *   <li>{@code --allow security.insecure} and {@code --allow network.host}.
 * </ul>
 *
 * Secret values are never held here: files are read by the executor when a step mounts them, and
 * environment values go straight into the {@link SecretStore}, whose {@code toString} names ids
 * only. Bad flags fail with {@link IllegalArgumentException} naming the flag. Stateless.
 */
final class BuildSessionFlags {

  private BuildSessionFlags() {}

  /**
   * The session for these flags, reading variables from {@code environment} and resolving
   * relative paths against {@code workingDirectory}.
   */
  static BuildSession parse(List<String> secrets, List<String> ssh, List<String> allow,
      Map<String, String> environment, Path workingDirectory) {
    return new BuildSession(secretStore(secrets, environment, workingDirectory),
        sshAgents(ssh, environment, workingDirectory), entitlements(allow));
  }

  private static SecretStore secretStore(List<String> secrets, Map<String, String> environment,
      Path workingDirectory) {
    Map<String, Path> files = new LinkedHashMap<>();
    Map<String, String> values = new LinkedHashMap<>();
    for (String flag : secrets) {
      String id = null;
      String source = null;
      String env = null;
      String type = null;
      for (String field : flag.split(",")) {
        int eq = field.indexOf('=');
        String key = (eq < 0 ? field : field.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
        String value = eq < 0 ? "" : field.substring(eq + 1);
        switch (key) {
          case "id" -> id = value;
          case "src", "source" -> source = value;
          case "env" -> env = value;
          case "type" -> {
            if (!value.equals("file") && !value.equals("env")) {
              throw bad("--secret", flag, "type must be file or env, not \"" + value + "\"");
            }
            type = value;
          }
          default -> throw bad("--secret", flag, "unexpected key \"" + key
              + "\" (use id=ID,src=PATH or id=ID,env=VAR)");
        }
      }
      if (id == null || id.isEmpty()) {
        throw bad("--secret", flag, "id=ID is required");
      }
      if (files.containsKey(id) || values.containsKey(id)) {
        throw bad("--secret", flag, "secret \"" + id + "\" is given twice");
      }
      if ("env".equals(type) && env == null) {
        // Matches buildx: with type=env, src names the variable (and defaults to the id).
        env = source != null ? source : id;
        source = null;
      }
      if (source != null && env != null) {
        throw bad("--secret", flag, "give src=PATH or env=VAR, not both");
      }
      if (source == null && env == null) {
        // Matches the reference builder: a bare id is a variable of that name when one is set,
        // otherwise a file of that name.
        if (environment.containsKey(id)) {
          env = id;
        } else {
          source = id;
        }
      }
      if (env != null) {
        String value = environment.get(env);
        // An unset variable is a secret the build was not given: a RUN that needs it fails
        // naming the id, one that mounts it with required=false runs without it.
        if (value != null) {
          values.put(id, value);
        }
      } else {
        Path file = workingDirectory.resolve(source);
        if (!Files.isRegularFile(file)) {
          throw bad("--secret", flag, "no such file: " + file);
        }
        if (!Files.isReadable(file)) {
          throw bad("--secret", flag, "cannot read " + file);
        }
        files.put(id, file);
      }
    }
    return SecretStore.of(files, values);
  }

  private static Map<String, Path> sshAgents(List<String> ssh, Map<String, String> environment,
      Path workingDirectory) {
    Map<String, Path> agents = new LinkedHashMap<>();
    for (String flag : ssh) {
      int eq = flag.indexOf('=');
      String id = eq < 0 ? flag : flag.substring(0, eq);
      if (id.isEmpty()) {
        throw bad("--ssh", flag, "an id is required (use default or ID=SOCKET)");
      }
      String socket;
      if (eq >= 0) {
        socket = flag.substring(eq + 1);
        if (socket.contains(",")) {
          throw bad("--ssh", flag, "give one agent socket per id");
        }
      } else {
        // As with buildx: an id without a path forwards the running agent.
        socket = environment.get("SSH_AUTH_SOCK");
        if (socket == null || socket.isEmpty()) {
          throw bad("--ssh", flag, "SSH_AUTH_SOCK is not set; start an ssh-agent or pass "
              + id + "=SOCKET");
        }
      }
      Path path = workingDirectory.resolve(socket);
      if (!Files.exists(path)) {
        throw bad("--ssh", flag, "no such agent socket: " + path);
      }
      if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
          || Files.isDirectory(path)) {
        throw bad("--ssh", flag, path + " is not a socket; only ssh-agent sockets can be"
            + " forwarded, load keys into an agent with ssh-add");
      }
      if (agents.put(id, path) != null) {
        throw bad("--ssh", flag, "ssh id \"" + id + "\" is given twice");
      }
    }
    return agents;
  }

  private static Set<BuildSession.Entitlement> entitlements(List<String> allow) {
    Set<BuildSession.Entitlement> granted = EnumSet.noneOf(BuildSession.Entitlement.class);
    for (String flag : allow) {
      for (String name : flag.split(",")) {
        switch (name.strip()) {
          case "security.insecure" -> granted.add(BuildSession.Entitlement.SECURITY_INSECURE);
          case "network.host" -> granted.add(BuildSession.Entitlement.NETWORK_HOST);
          default -> throw bad("--allow", flag, "unknown entitlement \"" + name.strip()
              + "\" (use security.insecure or network.host)");
        }
      }
    }
    return granted;
  }

  private static IllegalArgumentException bad(String option, String flag, String problem) {
    return new IllegalArgumentException("invalid " + option + " \"" + flag + "\": " + problem);
  }
}
