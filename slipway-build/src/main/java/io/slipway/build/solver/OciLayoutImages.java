package io.slipway.build.solver;

import io.slipway.client.layout.OciLayout;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Platform;
import io.slipway.store.blob.BlobStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Base images from OCI layouts on disk: a reference written {@code oci-layout://DIR[:NAME]}
 * (the form the reference builder takes for {@code --build-context}) or a name mapped to a layout
 * directory, anything else from the {@code fallback} source. Imported into the store on load.
 * Safe for concurrent use.
 */
public final class OciLayoutImages implements ImageSource {

  /** The prefix of a reference naming an OCI layout directory. */
  public static final String PREFIX = "oci-layout://";

  private final BlobStore store;
  private final Map<String, Path> named;
  private final ImageSource fallback;

  /** Layouts by reference name, then {@code fallback}. */
  public OciLayoutImages(BlobStore store, Map<String, Path> named, ImageSource fallback) {
    this.store = store;
    this.named = Map.copyOf(named);
    this.fallback = fallback;
  }

  @Override
  public BaseImage load(String reference, Platform platform)
      throws IOException, InterruptedException {
    Path dir;
    String name = null;
    if (reference.startsWith(PREFIX)) {
      String rest = reference.substring(PREFIX.length());
      int colon = rest.lastIndexOf(':');
      int slash = rest.lastIndexOf('/');
      if (colon > slash) {
        name = rest.substring(colon + 1);
        rest = rest.substring(0, colon);
      }
      dir = Path.of(rest);
    } else if (named.containsKey(reference)) {
      dir = named.get(reference);
    } else {
      return fallback.load(reference, platform);
    }
    if (name == null && OciLayout.names(dir).size() > 1) {
      name = "latest";
    }
    Descriptor root = OciLayout.read(dir, name, store);
    return ImageSource.fromStore(store, root, platform, reference);
  }
}
