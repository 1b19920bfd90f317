package io.slipway.diff.image;

import io.slipway.diff.tree.TreeChange;
import java.util.Set;

/**
 * One difference between two images' merged filesystems. Immutable.
 *
 * @param kind added, removed or modified
 * @param path the path, without a leading slash
 * @param before the entry in the first image, null when added
 * @param after the entry in the second image, null when removed
 * @param aspects for a modification, what differs; empty otherwise
 */
public record ImageFileChange(
    TreeChange.Kind kind, String path, ImageFile before, ImageFile after, Set<TreeChange.Aspect> aspects) {

  public ImageFileChange {
    aspects = Set.copyOf(aspects);
  }
}
