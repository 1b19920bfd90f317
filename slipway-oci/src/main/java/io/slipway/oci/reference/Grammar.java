package io.slipway.oci.reference;

import io.slipway.oci.reference.InvalidReferenceException.Part;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The distribution spec's grammar for repository names, tags and registry hosts, each check
 * returning the reason a string fails it. Stateless.
 */
final class Grammar {

  /** The longest repository name the distribution spec lets clients rely on. */
  static final int NAME_MAX_LENGTH = 255;

  /** The longest tag: one leading character and up to 127 more. */
  static final int TAG_MAX_LENGTH = 128;

  static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
  private static final Pattern DOMAIN_NAME =
      Pattern.compile(
          "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
              + "(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*");
  private static final Pattern IPV6 = Pattern.compile("\\[[a-fA-F0-9:]+\\]");
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");

  /** A problem found in some input: which part, and why. */
  record Problem(Part part, String reason) {}

  private Grammar() {}

  /** Checks a repository path such as {@code library/busybox}. */
  static Optional<Problem> checkRepository(String path) {
    if (path.isEmpty()) {
      return problem(Part.REPOSITORY, "repository name is empty");
    }
    if (path.length() > NAME_MAX_LENGTH) {
      return tooLong(path.length());
    }
    for (String component : path.split("/", -1)) {
      if (component.isEmpty()) {
        return problem(Part.REPOSITORY, "repository name has an empty path component");
      }
      if (!PATH_COMPONENT.matcher(component).matches()) {
        if (PATH_COMPONENT.matcher(component.toLowerCase(java.util.Locale.ROOT)).matches()) {
          return problem(Part.REPOSITORY, "repository name must be lowercase");
        }
        return problem(
            Part.REPOSITORY,
            "path component \""
                + component
                + "\" must be lowercase letters and digits separated by \".\", \"_\", \"__\" or"
                + " \"-\"");
      }
    }
    return Optional.empty();
  }

  static Optional<Problem> tooLong(int length) {
    return problem(
        Part.REPOSITORY,
        "repository name must not be more than " + NAME_MAX_LENGTH + " characters, got " + length);
  }

  /** Checks a tag such as {@code 1.36-glibc}. */
  static Optional<Problem> checkTag(String tag) {
    if (tag.isEmpty()) {
      return problem(Part.TAG, "tag is empty");
    }
    if (tag.length() > TAG_MAX_LENGTH) {
      return problem(
          Part.TAG,
          "tag must not be more than " + TAG_MAX_LENGTH + " characters, got " + tag.length());
    }
    if (!TAG.matcher(tag).matches()) {
      return problem(
          Part.TAG,
          "tag \""
              + tag
              + "\" may only hold letters, digits, \"_\", \".\" and \"-\", and must not start with"
              + " \".\" or \"-\"");
    }
    return Optional.empty();
  }

  /** Checks a registry such as {@code ghcr.io}, {@code localhost:5000} or {@code [::1]:5000}. */
  static Optional<Problem> checkRegistry(String registry) {
    String host = registry;
    String port = null;
    int bracket = registry.lastIndexOf(']');
    int colon = registry.lastIndexOf(':');
    if (colon > bracket) {
      host = registry.substring(0, colon);
      port = registry.substring(colon + 1);
    }
    if (!DOMAIN_NAME.matcher(host).matches() && !IPV6.matcher(host).matches()) {
      return problem(
          Part.REGISTRY,
          "registry \""
              + registry
              + "\" is not a host name, IPv4 address or [IPv6] address with an optional port");
    }
    if (port != null && !validPort(port)) {
      return problem(
          Part.REGISTRY, "registry port \"" + port + "\" must be a number from 1 to 65535");
    }
    return Optional.empty();
  }

  private static boolean validPort(String port) {
    if (!DIGITS.matcher(port).matches() || port.length() > 5) {
      return false;
    }
    int value = Integer.parseInt(port);
    return value >= 1 && value <= 65535;
  }

  private static Optional<Problem> problem(Part part, String reason) {
    return Optional.of(new Problem(part, reason));
  }
}
