package io.slipway.registry;

import io.slipway.oci.reference.InvalidReferenceException;
import io.slipway.oci.reference.RepositoryName;
import io.slipway.oci.reference.Tag;

/**
 * Turns the OCI model's name and tag validation into the registry's answers: a malformed name is
 * 400 NAME_INVALID and a malformed tag 400 TAG_INVALID, never 500. Stateless.
 */
public final class RepositoryNames {
  private RepositoryNames() {}

  /** Returns {@code name} when valid, else throws {@link ErrorCode#NAME_INVALID}. */
  public static String check(String name) {
    try {
      return RepositoryName.parse(name).value();
    } catch (InvalidReferenceException e) {
      throw RegistryException.of(ErrorCode.NAME_INVALID, abbreviate(e.getMessage()));
    }
  }

  /** Returns {@code tag} when valid, else throws {@link ErrorCode#TAG_INVALID}. */
  public static String checkTag(String tag) {
    try {
      return Tag.parse(tag).value();
    } catch (InvalidReferenceException e) {
      throw RegistryException.of(ErrorCode.TAG_INVALID, abbreviate(e.getMessage()));
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 400 ? text : text.substring(0, 397) + "...";
  }
}
