package io.slipway.build.solver;

import io.slipway.client.OnDemandClient;
import io.slipway.client.RegistryClient;
import io.slipway.client.Repository;
import io.slipway.client.TransferListener;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Platform;
import io.slipway.oci.reference.Reference;
import io.slipway.store.blob.BlobStore;
import java.io.IOException;

/**
 * Base images pulled from registries with the {@link RegistryClient} (which de-duplicates
 * concurrent downloads of one blob and skips blobs already stored). Safe for concurrent use.
 */
public final class RegistryImages implements ImageSource {

  private final OnDemandClient client;
  private final BlobStore store;
  private final TransferListener transfers;

  /** Pulls with {@code client} into {@code store}. */
  public RegistryImages(RegistryClient client, BlobStore store) {
    this(client, store, TransferListener.none());
  }

  /** Pulls with {@code client} into {@code store}, reporting blob transfers to {@code transfers}. */
  public RegistryImages(RegistryClient client, BlobStore store, TransferListener transfers) {
    this(OnDemandClient.of(client), store, transfers);
  }

  /**
   * Pulls with {@code client}, made only when a base image is first pulled, into {@code store},
   * reporting blob transfers to {@code transfers}.
   */
  public RegistryImages(OnDemandClient client, BlobStore store, TransferListener transfers) {
    this.client = client;
    this.store = store;
    this.transfers = transfers;
  }

  @Override
  public BaseImage load(String reference, Platform platform)
      throws IOException, InterruptedException {
    Reference parsed = Reference.parse(reference);
    Repository repository = Repository.of(parsed);
    Descriptor root = client.get().pull(repository, parsed.identifier(), store, platform,
        transfers);
    return ImageSource.fromStore(store, root, platform, reference);
  }
}
