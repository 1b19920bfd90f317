package io.slipway.oci.reference;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.slipway.oci.Digest;
import io.slipway.oci.InvalidDigestException;
import io.slipway.oci.reference.InvalidReferenceException.Part;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A fully qualified image reference: registry, repository, and a tag, a digest or both, such as
 * {@code docker.io/library/busybox:1.36@sha256:…}.
 *
 * <p>{@link #parse(String)} applies Docker's normalization, so what users type to {@code docker
 * pull} means the same here:
 *
 * <ul>
 *   <li>The first path component is the registry when it contains {@code .} or {@code :} or is
 *       {@code localhost}; otherwise the registry is {@code docker.io}.
 *   <li>{@code index.docker.io} is written {@code docker.io}.
 *   <li>A single-component name on {@code docker.io} lives under {@code library/} ({@code busybox}
 *       is {@code docker.io/library/busybox}).
 *   <li>With neither tag nor digest, the tag is {@code latest}. With a digest and no tag, there is
 *       no tag. A tag and a digest may both be given; the digest is what gets pulled.
 * </ul>
 *
 * <p>Every invalid form is rejected with an {@link InvalidReferenceException} whose message says
 * what is wrong. Immutable and safe for concurrent use.
 */
public final class Reference {

  /** Docker Hub's registry name in references. */
  public static final String DOCKER_HUB = "docker.io";

  /** The host that serves Docker Hub's registry API. */
  public static final String DOCKER_HUB_API_HOST = "registry-1.docker.io";

  private static final String LEGACY_DOCKER_HUB = "index.docker.io";
  private static final String OFFICIAL_PREFIX = "library/";
  private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

  private final String registry;
  private final RepositoryName repository;
  private final Tag tag;
  private final Digest digest;

  private Reference(String registry, RepositoryName repository, Tag tag, Digest digest) {
    this.registry = registry;
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
  }

  /**
   * Parses and normalizes a reference as {@code docker pull} would.
   *
   * @throws InvalidReferenceException naming the part at fault and the rule it breaks
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Reference parse(String text) {
    if (text == null || text.isEmpty()) {
      throw invalid(String.valueOf(text), Part.REFERENCE, "reference is empty");
    }
    String rest = text;
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      String digestText = rest.substring(at + 1);
      if (digestText.isEmpty()) {
        throw invalid(text, Part.REFERENCE, "ends with \"@\" but has no digest");
      }
      try {
        digest = Digest.parse(digestText);
      } catch (InvalidDigestException e) {
        throw invalid(text, Part.DIGEST, e.getMessage());
      }
      rest = rest.substring(0, at);
    }
    Tag tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      String tagText = rest.substring(colon + 1);
      if (tagText.isEmpty()) {
        throw invalid(text, Part.REFERENCE, "ends with \":\" but has no tag");
      }
      Grammar.checkTag(tagText)
          .ifPresent(
              p -> {
                throw invalid(text, p.part(), p.reason());
              });
      tag = new Tag(tagText);
      rest = rest.substring(0, colon);
    }
    if (rest.isEmpty()) {
      throw invalid(text, Part.REPOSITORY, "repository name is empty");
    }
    if (HEX64.matcher(rest).matches()) {
      throw invalid(
          text,
          Part.REPOSITORY,
          "a 64-character hex string is not a repository name; write a digest as @sha256:<hex>");
    }

    String registry;
    String path;
    int slash = rest.indexOf('/');
    String first = slash < 0 ? "" : rest.substring(0, slash);
    if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"))) {
      registry = first;
      path = rest.substring(slash + 1);
      Grammar.checkRegistry(registry)
          .ifPresent(
              p -> {
                throw invalid(text, p.part(), p.reason());
              });
    } else {
      registry = DOCKER_HUB;
      path = rest;
    }
    if (registry.equals(LEGACY_DOCKER_HUB)) {
      registry = DOCKER_HUB;
    }
    Grammar.checkRepository(path)
        .ifPresent(
            p -> {
              throw invalid(text, p.part(), p.reason());
            });
    if (registry.equals(DOCKER_HUB) && path.indexOf('/') < 0) {
      path = OFFICIAL_PREFIX + path;
    }
    int nameLength = registry.length() + 1 + path.length();
    if (nameLength > Grammar.NAME_MAX_LENGTH) {
      Grammar.Problem p = Grammar.tooLong(nameLength).orElseThrow();
      throw invalid(text, p.part(), p.reason());
    }
    if (tag == null && digest == null) {
      tag = Tag.LATEST;
    }
    return new Reference(registry, new RepositoryName(path), tag, digest);
  }

  /** True when {@code text} parses as a reference. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (InvalidReferenceException e) {
      return false;
    }
  }

  /**
   * A reference from its parts, already normalized (no {@code library/} is added). With neither
   * tag nor digest, the tag is {@code latest}.
   *
   * @throws InvalidReferenceException if the registry is not a valid host or the name is too long
   */
  public static Reference of(String registry, RepositoryName repository, Tag tag, Digest digest) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    String text = registry + "/" + repository;
    Grammar.checkRegistry(registry)
        .ifPresent(
            p -> {
              throw invalid(text, p.part(), p.reason());
            });
    int nameLength = text.length();
    if (nameLength > Grammar.NAME_MAX_LENGTH) {
      Grammar.Problem p = Grammar.tooLong(nameLength).orElseThrow();
      throw invalid(text, p.part(), p.reason());
    }
    String host = registry.equals(LEGACY_DOCKER_HUB) ? DOCKER_HUB : registry;
    return new Reference(host, repository, tag == null && digest == null ? Tag.LATEST : tag, digest);
  }

  /** The registry, such as {@code docker.io}, {@code ghcr.io} or {@code localhost:5000}. */
  public String registry() {
    return registry;
  }

  /**
   * The host (and port) to send registry API requests to: {@code registry-1.docker.io} for Docker
   * Hub, the registry itself otherwise.
   */
  public String apiHost() {
    return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API_HOST : registry;
  }

  /** The repository within the registry, such as {@code library/busybox}. */
  public RepositoryName repository() {
    return repository;
  }

  /** The tag, if the reference has one. */
  public Optional<Tag> tag() {
    return Optional.ofNullable(tag);
  }

  /** The digest, if the reference has one. */
  public Optional<Digest> digest() {
    return Optional.ofNullable(digest);
  }

  /**
   * What to put in {@code /v2/<name>/manifests/<reference>}: the digest when there is one (it
   * pins the content even if the tag has moved), else the tag.
   */
  public String identifier() {
    return digest != null ? digest.toString() : tag.value();
  }

  /** Registry and repository, such as {@code docker.io/library/busybox}. */
  public String name() {
    return registry + "/" + repository;
  }

  /**
   * The short name Docker shows: {@code busybox} for an official image, {@code user/app} for
   * other Docker Hub repositories, the full name elsewhere.
   */
  public String familiarName() {
    if (!registry.equals(DOCKER_HUB)) {
      return name();
    }
    String path = repository.value();
    if (path.startsWith(OFFICIAL_PREFIX) && path.indexOf('/', OFFICIAL_PREFIX.length()) < 0) {
      return path.substring(OFFICIAL_PREFIX.length());
    }
    return path;
  }

  /** {@link #familiarName()} with the tag and digest, such as {@code busybox:1.36}. */
  public String familiarString() {
    return familiarName() + suffix();
  }

  /** True when the registry is Docker Hub. */
  public boolean isDockerHub() {
    return registry.equals(DOCKER_HUB);
  }

  /**
   * The same reference with {@code tag} in place of its tag. Null removes the tag; a reference
   * left with neither tag nor digest gets {@code latest}, as {@link #parse} gives it.
   */
  public Reference withTag(Tag tag) {
    return new Reference(registry, repository, tag == null && digest == null ? Tag.LATEST : tag, digest);
  }

  /**
   * The same reference with {@code digest} in place of its digest. Null removes the digest; a
   * reference left with neither tag nor digest gets {@code latest}.
   */
  public Reference withDigest(Digest digest) {
    return new Reference(registry, repository, tag == null && digest == null ? Tag.LATEST : tag, digest);
  }

  /** The same repository on another registry, keeping tag and digest (for copy and mirrors). */
  public Reference withRegistry(String registry) {
    return of(registry, repository, tag, digest);
  }

  /** The normalized form, such as {@code docker.io/library/busybox:latest}. */
  @JsonValue
  @Override
  public String toString() {
    return name() + suffix();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Reference that
        && registry.equals(that.registry)
        && repository.equals(that.repository)
        && Objects.equals(tag, that.tag)
        && Objects.equals(digest, that.digest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(registry, repository, tag, digest);
  }

  private String suffix() {
    return (tag == null ? "" : ":" + tag.value()) + (digest == null ? "" : "@" + digest);
  }

  private static InvalidReferenceException invalid(String input, Part part, String reason) {
    return new InvalidReferenceException("reference", input, part, reason);
  }
}
