package io.slipway.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of one {@code RUN --mount=…} flag split into its comma-separated {@code key=value}
 * options (CSV quoting allowed), with keys checked. Values are expanded and typed later by
 * {@link #resolve}, because they may hold variables ({@code uid=${UID}}). Immutable.
 */
public record MountSpec(String text, Location location, List<Option> options) {

  /** One {@code key=value} or bare {@code key} of a mount ({@code value} empty when bare). Immutable. */
  public record Option(String key, Optional<String> value) {}

  private static final Set<String> KEYS =
      Set.of(
          "type", "target", "dst", "destination", "source", "src", "from", "readonly", "ro",
          "readwrite", "rw", "required", "id", "sharing", "mode", "uid", "gid", "size", "env");
  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp])?i?b?", Pattern.CASE_INSENSITIVE);

  public MountSpec {
    options = List.copyOf(options);
  }

  /** Splits and checks {@code text}; {@code file} and {@code location} are for errors. */
  public static MountSpec parse(String text, String file, Location location) {
    List<Option> options = new ArrayList<>();
    for (String field : csvFields(text, file, location)) {
      int eq = field.indexOf('=');
      String key = (eq < 0 ? field : field.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
      Optional<String> value = eq < 0 ? Optional.empty() : Optional.of(field.substring(eq + 1));
      if (!KEYS.contains(key)) {
        throw flagError(file, location, text, "unexpected key '" + key + "' in '" + field + "'");
      }
      options.add(new Option(key, value));
    }
    MountSpec spec = new MountSpec(text, location, options);
    String type = spec.rawType();
    if (!type.contains("$") && !Set.of("bind", "cache", "tmpfs", "secret", "ssh").contains(type)) {
      throw flagError(file, location, text, "unsupported mount type \"" + type + "\"");
    }
    return spec;
  }

  private String rawType() {
    String type = "bind";
    for (Option option : options) {
      if (option.key().equals("type")) {
        type = option.value().orElse("").toLowerCase(Locale.ROOT);
      }
    }
    return type;
  }

  /**
   * Expands every value with {@code expander}, then types and defaults the mount. {@code sshIndex}
   * numbers SSH mounts without a target ({@code /run/buildkit/ssh_agent.N}).
   */
  public RunMount resolve(UnaryOperator<String> expander, String file, int sshIndex) {
    String type = "bind";
    String target = null;
    String source = null;
    String from = null;
    String id = null;
    String env = null;
    Boolean readOnly = null;
    boolean required = false;
    RunMount.Sharing sharing = RunMount.Sharing.SHARED;
    Integer mode = null;
    int uid = 0;
    int gid = 0;
    long size = 0;
    for (Option option : options) {
      if (option.key().equals("type")) {
        type = expander.apply(option.value().orElse("")).toLowerCase(Locale.ROOT);
      }
    }
    if (!Set.of("bind", "cache", "tmpfs", "secret", "ssh").contains(type)) {
      throw error(file, "unsupported mount type \"" + type + "\"");
    }
    for (Option option : options) {
      String key = option.key();
      String value = option.value().map(expander).orElse(null);
      switch (key) {
        case "type" -> {}
        case "target", "dst", "destination" -> target = value;
        case "source", "src" -> source = value;
        case "from" -> from = value;
        case "id" -> id = value;
        case "readonly", "ro" -> readOnly = bool(file, key, value);
        case "readwrite", "rw" -> readOnly = !bool(file, key, value);
        case "required" -> {
          if (!type.equals("secret") && !type.equals("ssh")) {
            throw error(file, "required is not allowed for type=" + type);
          }
          required = bool(file, key, value);
        }
        case "sharing" -> {
          if (!type.equals("cache")) {
            throw error(file, "sharing is only allowed for type=cache, not type=" + type);
          }
          sharing =
              switch (String.valueOf(value).toLowerCase(Locale.ROOT)) {
                case "shared" -> RunMount.Sharing.SHARED;
                case "private" -> RunMount.Sharing.PRIVATE;
                case "locked" -> RunMount.Sharing.LOCKED;
                default -> throw error(file, "unsupported sharing value \"" + value + "\"");
              };
        }
        case "mode" -> {
          requireOwnership(file, type, key);
          mode = number(file, key, value, 8, 07777);
        }
        case "uid" -> {
          requireOwnership(file, type, key);
          uid = number(file, key, value, 10, Integer.MAX_VALUE);
        }
        case "gid" -> {
          requireOwnership(file, type, key);
          gid = number(file, key, value, 10, Integer.MAX_VALUE);
        }
        case "size" -> {
          if (!type.equals("tmpfs")) {
            throw error(file, "size is only allowed for type=tmpfs, not type=" + type);
          }
          size = bytes(file, value);
        }
        case "env" -> {
          if (!type.equals("secret")) {
            throw error(file, "env is only allowed for type=secret, not type=" + type);
          }
          env = value;
        }
        default -> throw error(file, "unexpected key '" + key + "'");
      }
    }
    return switch (type) {
      case "bind" -> {
        if (target == null || target.isEmpty()) {
          throw error(file, "type=bind needs a target");
        }
        yield new RunMount.Bind(
            target, source == null ? "/" : source, Optional.ofNullable(from),
            readOnly == null || readOnly);
      }
      case "cache" -> {
        if (target == null || target.isEmpty()) {
          throw error(file, "type=cache needs a target");
        }
        yield new RunMount.Cache(
            target, id == null || id.isEmpty() ? target : id, sharing, Optional.ofNullable(from),
            source == null ? "/" : source, readOnly != null && readOnly,
            mode == null ? 0755 : mode, uid, gid);
      }
      case "tmpfs" -> {
        if (target == null || target.isEmpty()) {
          throw error(file, "type=tmpfs needs a target");
        }
        yield new RunMount.Tmpfs(target, size);
      }
      case "secret" -> {
        String secretId = id != null && !id.isEmpty() ? id : source;
        if ((secretId == null || secretId.isEmpty()) && (target == null || target.isEmpty())) {
          throw error(file, "type=secret needs an id or a target");
        }
        if (secretId == null || secretId.isEmpty()) {
          secretId = target.substring(target.lastIndexOf('/') + 1);
        }
        String secretTarget = target;
        if (secretTarget == null || secretTarget.isEmpty()) {
          secretTarget = env != null ? "" : "/run/secrets/" + secretId;
        }
        yield new RunMount.Secret(
            secretTarget, secretId, Optional.ofNullable(env), required,
            mode == null ? 0400 : mode, uid, gid);
      }
      case "ssh" -> {
        String sshTarget =
            target == null || target.isEmpty() ? "/run/buildkit/ssh_agent." + sshIndex : target;
        yield new RunMount.Ssh(
            sshTarget, id == null || id.isEmpty() ? "default" : id, required,
            mode == null ? 0600 : mode, uid, gid);
      }
      default -> throw error(file, "unsupported mount type \"" + type + "\"");
    };
  }

  private void requireOwnership(String file, String type, String key) {
    if (!type.equals("cache") && !type.equals("secret") && !type.equals("ssh")) {
      throw error(file, key + " is only allowed for type=cache, secret or ssh, not type=" + type);
    }
  }

  private boolean bool(String file, String key, String value) {
    if (value == null) {
      return true;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "1", "t", "true" -> true;
      case "0", "f", "false" -> false;
      default -> throw error(file, "invalid value for " + key + ": " + value);
    };
  }

  private int number(String file, String key, String value, int radix, int max) {
    try {
      long parsed = Long.parseLong(value == null ? "" : value, radix);
      if (parsed < 0 || parsed > max) {
        throw error(file, "invalid value for " + key + ": " + value);
      }
      return (int) parsed;
    } catch (NumberFormatException e) {
      throw error(file, "invalid value for " + key + ": " + value);
    }
  }

  private long bytes(String file, String value) {
    Matcher m = SIZE.matcher(value == null ? "" : value.strip());
    if (!m.matches()) {
      throw error(file, "invalid value for size: " + value);
    }
    double amount = Double.parseDouble(m.group(1));
    int shift =
        m.group(2) == null ? 0 : 10 * ("kmgtp".indexOf(Character.toLowerCase(m.group(2).charAt(0))) + 1);
    return (long) (amount * (1L << shift));
  }

  private DockerfileException error(String file, String detail) {
    return flagError(file, location, "--mount=" + text, detail);
  }

  private static DockerfileException flagError(
      String file, Location location, String text, String detail) {
    return new DockerfileException(
        DockerfileException.Kind.MALFORMED_FLAG, file, location,
        text.startsWith("--mount=") ? text : "--mount=" + text, detail);
  }

  /** Splits one CSV record: commas separate fields, a field may be double-quoted with "" escapes. */
  private static List<String> csvFields(String text, String file, Location location) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    while (i <= text.length()) {
      if (i < text.length() && text.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= text.length()) {
            throw flagError(file, location, text, "unterminated quote in mount options");
          }
          char c = text.charAt(i++);
          if (c == '"') {
            if (i < text.length() && text.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(c);
          }
        }
      }
      while (i < text.length() && text.charAt(i) != ',') {
        field.append(text.charAt(i++));
      }
      fields.add(field.toString());
      field.setLength(0);
      i++;
    }
    List<String> nonEmpty = new ArrayList<>();
    for (String f : fields) {
      if (!f.isBlank()) {
        nonEmpty.add(f);
      }
    }
    return nonEmpty;
  }
}
