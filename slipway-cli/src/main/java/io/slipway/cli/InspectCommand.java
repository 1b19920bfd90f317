package io.slipway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.client.RegistryClient;
import io.slipway.client.TransferListener;
import io.slipway.oci.ImageManifest;
import io.slipway.oci.ManifestBytes;
import io.slipway.oci.MediaTypes;
import io.slipway.oci.Platform;
import io.slipway.oci.reference.Reference;
import io.slipway.store.blob.BlobStore;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code slipway inspect REF}: shows a manifest and its config. Main thread only. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Show an image's manifest and config (or, with --raw, the manifest bytes).")
final class InspectCommand implements Callable<Integer> {
  /**
   * Built on first use, not when picocli instantiates every command to parse the command line:
   * creating a mapper loads hundreds of classes that {@code slipway --version} should not pay for.
   */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  @Mixin RegistryOptions options;

  @Option(names = "--raw", description = "Print the manifest exactly as the registry sent it.")
  boolean raw;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "For an index, inspect this platform's manifest.")
  String platform;

  @Parameters(index = "0", paramLabel = "REF") String image;

  @Override
  public Integer call() throws Exception {
    Reference reference = RegistryOptions.reference(image);
    try (RegistryClient client = options.client()) {
      var repository = RegistryOptions.repository(reference);
      ManifestBytes manifest = client.fetchManifest(repository, reference.identifier());
      if (platform != null && MediaTypes.isIndex(manifest.mediaType())) {
        var selected = client.resolve(repository, manifest.digest().toString(),
            Platform.parse(platform));
        manifest = client.fetchManifest(repository, selected.digest().toString());
      }
      if (raw) {
        System.out.write(manifest.bytes());
        System.out.flush();
        return 0;
      }
      ObjectNode out = Json.MAPPER.createObjectNode();
      out.put("name", reference.name());
      out.put("digest", manifest.digest().toString());
      out.put("mediaType", manifest.mediaType());
      out.put("size", manifest.size());
      out.set("manifest", Json.MAPPER.readTree(manifest.bytes()));
      if (manifest.manifest() instanceof ImageManifest image) {
        try (BlobStore store = options.store()) {
          client.fetchBlob(repository, image.config(), store, TransferListener.none());
          try (InputStream in = store.openVerified(image.config().digest())) {
            out.set("config", Json.MAPPER.readTree(in));
          }
        }
      }
      System.out.println(new String(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(out),
          StandardCharsets.UTF_8));
    }
    return 0;
  }
}
