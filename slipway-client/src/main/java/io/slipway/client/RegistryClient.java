package io.slipway.client;

import io.slipway.client.auth.CredentialSource;
import io.slipway.client.auth.RegistryAuth;
import io.slipway.client.auth.ScopeSet;
import io.slipway.client.auth.TokenCache;
import io.slipway.client.concurrent.SingleFlight;
import io.slipway.client.concurrent.TaskFailures;
import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import io.slipway.oci.ManifestBytes;
import io.slipway.oci.MediaTypes;
import io.slipway.oci.Platform;
import io.slipway.store.blob.BlobDigestMismatchException;
import io.slipway.store.blob.BlobSizeMismatchException;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.blob.BlobWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * Talks to OCI registries: resolves references, pulls images into a {@link BlobStore}, pushes them
 * from one, copies between registries, lists tags.
 *
 * <p>Blob transfers run in parallel, at most {@link ClientSettings#maxConcurrentTransfers} at a
 * time, and one blob is never transferred twice at once: concurrent pulls of the same digest (or
 * pushes of the same digest to the same repository) share one transfer through a {@link
 * SingleFlight}. Manifests are stored and pushed after everything they refer to (children before
 * parents, tags last), so no reader ever sees a manifest whose content is missing. Every request
 * has a deadline and transient failures are retried per the {@link RetryPolicy}.
 *
 * <p>Safe for concurrent use; one instance should serve a whole process so tokens and
 * connections are shared. Close it to release the HTTP client.
 */
public final class RegistryClient implements AutoCloseable {
  /** Waiters on a shared transfer rely on the transfer's own deadlines; this is only a backstop. */
  private static final Duration SHARED_TRANSFER_WAIT = Duration.ofHours(6);

  private static final String HTTP_BUFFER_PROPERTY = "jdk.httpclient.bufsize";
  private static final int HTTP_BUFFER_SIZE = 256 * 1024;

  private final HttpClient http;
  private final Transport transport;
  private final BlobRelay relay;
  private final ClientSettings settings;
  private final Semaphore transfers;
  private final SingleFlight<Digest, Boolean> fetches = new SingleFlight<>();
  private final SingleFlight<String, Boolean> pushes = new SingleFlight<>();

  private RegistryClient(HttpClient http, RegistryAuth auth, ClientSettings settings) {
    this.http = http;
    this.settings = settings;
    this.transport = new Transport(http, auth, settings);
    this.relay = new BlobRelay(transport);
    this.transfers = new Semaphore(settings.maxConcurrentTransfers());
  }

  /** A client with its own HTTP client, credentials from {@code credentials}. */
  public static RegistryClient create(ClientSettings settings, CredentialSource credentials,
      RegistryAuth.Settings authSettings) throws IOException {
    return create(settings, credentials, authSettings, new TokenCache(Clock.systemUTC()));
  }

  /** As {@link #create(ClientSettings, CredentialSource, RegistryAuth.Settings)}, sharing {@code tokens}. */
  public static RegistryClient create(ClientSettings settings, CredentialSource credentials,
      RegistryAuth.Settings authSettings, TokenCache tokens) throws IOException {
    useLargeHttpBuffers();
    HttpClient http = HttpClient.newBuilder()
        .connectTimeout(settings.connectTimeout())
        .sslContext(TrustStores.context(settings.caFile()))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
    RegistryAuth auth = new RegistryAuth(http, credentials, authSettings, tokens, Clock.systemUTC());
    return new RegistryClient(http, auth, settings);
  }

  /**
   * The JDK client moves every body through buffers of {@code jdk.httpclient.bufsize} bytes, 16
   * KiB unless set, and pays a round of its asynchronous machinery (scheduling, selector wake-up,
   * a fresh buffer) per buffer: copying a 1 GiB blob spent more CPU there than hashing it. 256 KiB
   * buffers cut that CPU by a third. The JDK reads the property once, when its first client is
   * built, so this only helps if no HTTP client was built before; a value set by the user wins.
   */
  private static void useLargeHttpBuffers() {
    if (System.getProperty(HTTP_BUFFER_PROPERTY) == null) {
      System.setProperty(HTTP_BUFFER_PROPERTY, Integer.toString(HTTP_BUFFER_SIZE));
    }
  }

  /** A client with default settings. */
  public static RegistryClient create(ClientSettings settings, CredentialSource credentials)
      throws IOException {
    return create(settings, credentials, RegistryAuth.Settings.defaults());
  }

  // ---- single wire operations ----------------------------------------------------------------

  /**
   * Checks that the registry answers {@code GET /v2/} with the configured credentials, as {@code
   * docker login} does before storing them.
   */
  public void ping(String registry) throws IOException, InterruptedException {
    // GET /v2/
    Transport.Call call = new Transport.Call(registry, ScopeSet.of(), "GET",
        transport.base(registry), List.of(), HttpRequest.BodyPublishers::noBody, Set.of(200),
        false);
    Transport.discard(transport.send(call));
  }

  /** What {@code reference} (tag or digest) points at: HEAD first, GET when HEAD says too little. */
  public Descriptor resolve(Repository repository, String reference)
      throws IOException, InterruptedException {
    Optional<Descriptor> head = ManifestHead.send(transport, repository, reference, false);
    if (head.isPresent()) {
      return head.get();
    }
    return fetchManifest(repository, reference).descriptor();
  }

  /**
   * What {@code reference} points at for {@code platform} ({@code os/arch[/variant]}): an index
   * is resolved to its manifest for that platform; an image manifest is returned as is.
   */
  public Descriptor resolve(Repository repository, String reference, Platform platform)
      throws IOException, InterruptedException {
    ManifestBytes manifest = fetchManifest(repository, reference);
    if (!MediaTypes.isIndex(manifest.mediaType())) {
      return manifest.descriptor();
    }
    return selectPlatform(repository, reference, manifest, platform);
  }

  /** A manifest's bytes, verified against the digest asked for or announced. */
  public ManifestBytes fetchManifest(Repository repository, String reference)
      throws IOException, InterruptedException {
    return ManifestGet.send(transport, repository, reference, false);
  }

  /** True when the repository holds the blob. */
  public boolean blobExists(Repository repository, Digest digest)
      throws IOException, InterruptedException {
    return BlobHead.send(transport, repository, digest, false).isPresent();
  }

  /** The repository's tags, all pages. */
  public List<String> tags(Repository repository) throws IOException, InterruptedException {
    return TagList.send(transport, repository);
  }

  /** Every recorded change of {@code tag}, oldest first, from a Slipway registry's history extension. */
  public List<TagChange> tagHistory(Repository repository, String tag)
      throws IOException, InterruptedException {
    return TagHistoryGet.send(transport, repository, tag);
  }

  // ---- blobs ---------------------------------------------------------------------------------

  /**
   * Downloads a blob into {@code store}, verified against its digest and stopped at its size;
   * does nothing if the store already has it. A broken download resumes with {@code Range}.
   *
   * @throws ContentMismatchException when the registry sends more bytes than {@code blob.size()}
   *     or bytes with another digest; nothing is stored
   */
  public void fetchBlob(Repository repository, Descriptor blob, BlobStore store,
      TransferListener listener) throws IOException, InterruptedException {
    if (store.exists(blob.digest())) {
      listener.started(blob.digest(), blob.size(), "exists");
      listener.finished(blob.digest());
      return;
    }
    shared(fetches, blob.digest(), () -> {
      if (!store.exists(blob.digest())) {
        withPermit(() -> download(repository, blob, store, listener));
      }
    });
  }

  /**
   * Uploads a stored blob unless the repository has it: mounted from {@code mountFrom} (a
   * repository name on the same registry) when given, in one request when small, in chunks
   * otherwise, resuming from the registry's {@code Range} after a broken connection.
   */
  public void pushBlob(Repository repository, Descriptor blob, BlobStore store, String mountFrom,
      TransferListener listener) throws IOException, InterruptedException {
    // The existence check runs under the transfer permit too: unbounded, an image of 200 layers
    // fired 200 HEADs at once, each on a new connection.
    shared(pushes, repository + "@" + blob.digest(), () -> withPermit(() -> {
      if (BlobHead.send(transport, repository, blob.digest(), true).isPresent()) {
        listener.started(blob.digest(), blob.size(), "exists");
        listener.finished(blob.digest());
        return;
      }
      upload(repository, blob, store, mountFrom, listener);
    }));
  }

  /** Stores a manifest's bytes under {@code reference} (a tag or its digest). */
  public void pushManifest(Repository repository, String reference, ManifestBytes manifest)
      throws IOException, InterruptedException {
    ManifestPut.send(transport, repository, reference, manifest.mediaType(), manifest.bytes());
  }

  // ---- images --------------------------------------------------------------------------------

  /**
   * Pulls an image or index into {@code store}: every manifest, config and layer, children before
   * parents. With a {@code platform}, an index is narrowed to that platform's manifest, which is
   * what is returned; otherwise the root as resolved.
   */
  public Descriptor pull(Repository repository, String reference, BlobStore store, Platform platform,
      TransferListener listener) throws IOException, InterruptedException {
    ManifestBytes root = fetchManifest(repository, reference);
    if (platform != null && MediaTypes.isIndex(root.mediaType())) {
      Descriptor selected = selectPlatform(repository, reference, root, platform);
      root = fetchChildManifest(repository, selected);
    }
    pullTree(repository, root, store, listener);
    return root.descriptor();
  }

  /**
   * Pushes an image or index held in {@code store} to {@code target}: blobs, then child
   * manifests, then the root by digest, then each tag. {@code mountFrom} names a repository on
   * the same registry that already holds the blobs, or is null.
   */
  public void push(BlobStore store, Descriptor root, Repository target, List<String> tags,
      String mountFrom, TransferListener listener) throws IOException, InterruptedException {
    ManifestBytes manifest = readManifest(store, root);
    pushTree(store, manifest, target, mountFrom, listener);
    for (String tag : tags) {
      pushManifest(target, tag, manifest);
    }
    // Read our own write before reporting success, so the next step (a pull, a deploy) cannot
    // race a registry whose cache has not caught up.
    String last = tags.isEmpty() ? manifest.digest().toString() : tags.getLast();
    ManifestHead.send(transport, target, last, true);
  }

  /**
   * Copies an image or index between repositories. Blobs stream from source to target without
   * touching the disk (mounted instead when both are on the same registry; uploaded from {@code
   * store} when it already holds them); a large blob whose connection breaks resumes from what the
   * target kept (see {@link BlobRelay}). Manifests are copied byte for byte, children before
   * parents, tags last. Returns the copied root.
   */
  public Descriptor copy(Repository source, String reference, Repository target, List<String> tags,
      BlobStore store, Platform platform, TransferListener listener)
      throws IOException, InterruptedException {
    ManifestBytes root = fetchManifest(source, reference);
    if (platform != null && MediaTypes.isIndex(root.mediaType())) {
      root = fetchChildManifest(source, selectPlatform(source, reference, root, platform));
    }
    String mountFrom = source.registry().equals(target.registry())
        && !source.name().equals(target.name()) ? source.name() : null;
    copyTree(source, target, root, store, mountFrom, listener);
    for (String tag : tags) {
      pushManifest(target, tag, root);
    }
    ManifestHead.send(transport, target,
        tags.isEmpty() ? root.digest().toString() : tags.getLast(), true);
    return root.descriptor();
  }

  private void copyTree(Repository source, Repository target, ManifestBytes manifest,
      BlobStore store, String mountFrom, TransferListener listener)
      throws IOException, InterruptedException {
    List<Parallel.Task> tasks = new ArrayList<>();
    boolean index = MediaTypes.isIndex(manifest.mediaType());
    for (Descriptor child : ManifestGraph.children(manifest)) {
      if (index) {
        tasks.add(() -> copyTree(source, target, fetchChildManifest(source, child), store,
            mountFrom, listener));
      } else {
        tasks.add(() -> copyBlob(source, target, child, store, mountFrom, listener));
      }
    }
    Parallel.run(tasks);
    pushManifest(target, manifest.digest().toString(), manifest);
  }

  private void copyBlob(Repository source, Repository target, Descriptor blob, BlobStore store,
      String mountFrom, TransferListener listener) throws IOException, InterruptedException {
    if (store.exists(blob.digest())) {
      pushBlob(target, blob, store, mountFrom, listener);
      return;
    }
    shared(pushes, target + "@" + blob.digest(), () -> withPermit(() -> {
      if (BlobHead.send(transport, target, blob.digest(), true).isPresent()) {
        listener.started(blob.digest(), blob.size(), "exists");
        listener.finished(blob.digest());
        return;
      }
      stream(source, target, blob, mountFrom, listener);
    }));
  }

  /** Mounts the blob when the registries allow it, else relays it from source to target. */
  private void stream(Repository source, Repository target, Descriptor blob, String mountFrom,
      TransferListener listener) throws IOException, InterruptedException {
    Digest digest = blob.digest();
    URI opened = null;
    if (mountFrom != null) {
      listener.started(digest, blob.size(), "mount");
      Optional<URI> session = BlobMount.send(transport, target, digest, mountFrom);
      if (session.isEmpty()) {
        listener.finished(digest);
        return;
      }
      // Not mountable after all: the registry opened an upload session instead; use it.
      opened = session.get();
    }
    listener.started(digest, blob.size(), "copy");
    relay.copy(source, target, blob, opened, listener);
    listener.finished(digest);
  }

  @Override
  public void close() {
    http.close();
  }

  // ---- internals -----------------------------------------------------------------------------

  private Descriptor selectPlatform(Repository repository, String reference, ManifestBytes index,
      Platform platform) throws IOException {
    List<String> offered = new ArrayList<>();
    for (Descriptor child : ManifestGraph.children(index)) {
      if (child.platform() != null) {
        offered.add(child.platform().toString());
        if (platform.matches(child.platform())) {
          return child;
        }
      }
    }
    throw new UnsupportedContentException("index " + repository + ":" + reference
        + " has no manifest for platform " + platform + "; it offers " + offered);
  }

  private ManifestBytes fetchChildManifest(Repository repository, Descriptor child)
      throws IOException, InterruptedException {
    ManifestBytes manifest = fetchManifest(repository, child.digest().toString());
    if (manifest.size() != child.size()) {
      throw new ContentMismatchException("manifest " + child.digest() + " in " + repository
          + " is " + manifest.size() + " bytes, its descriptor says " + child.size());
    }
    return manifest;
  }

  private void pullTree(Repository repository, ManifestBytes manifest, BlobStore store,
      TransferListener listener) throws IOException, InterruptedException {
    List<Parallel.Task> tasks = new ArrayList<>();
    boolean index = MediaTypes.isIndex(manifest.mediaType());
    for (Descriptor child : ManifestGraph.children(manifest)) {
      if (index) {
        tasks.add(() -> pullTree(repository, fetchChildManifest(repository, child), store,
            listener));
      } else {
        tasks.add(() -> fetchBlob(repository, child, store, listener));
      }
    }
    Parallel.run(tasks);
    // Children are stored; only now may the manifest that names them appear.
    try (InputStream in = manifest.openStream()) {
      store.put(in, manifest.digest(), manifest.size());
    }
  }

  private void pushTree(BlobStore store, ManifestBytes manifest, Repository target,
      String mountFrom, TransferListener listener) throws IOException, InterruptedException {
    List<Parallel.Task> tasks = new ArrayList<>();
    boolean index = MediaTypes.isIndex(manifest.mediaType());
    for (Descriptor child : ManifestGraph.children(manifest)) {
      if (index) {
        tasks.add(() -> pushTree(store, readManifest(store, child), target, mountFrom, listener));
      } else {
        tasks.add(() -> pushBlob(target, child, store, mountFrom, listener));
      }
    }
    Parallel.run(tasks);
    pushManifest(target, manifest.digest().toString(), manifest);
  }

  /** A manifest held in the store, read back with its media type from {@code descriptor}. */
  public ManifestBytes readManifest(BlobStore store, Descriptor descriptor) throws IOException {
    if (descriptor.size() > settings.maxManifestSize()) {
      throw new UnsupportedContentException("manifest " + descriptor.digest() + " is "
          + descriptor.size() + " bytes, over the limit of " + settings.maxManifestSize());
    }
    try (InputStream in = store.openVerified(descriptor.digest())) {
      return ManifestBytes.of(in.readAllBytes(), descriptor.mediaType(),
          descriptor.digest().algorithm());
    }
  }

  private interface Work {
    void run() throws IOException, InterruptedException;
  }

  private <K> void shared(SingleFlight<K, Boolean> group, K key, Work work)
      throws IOException, InterruptedException {
    try {
      group.await(key, () -> {
        work.run();
        return Boolean.TRUE;
      }, SHARED_TRANSFER_WAIT);
    } catch (ExecutionException e) {
      throw TaskFailures.unwrap(e.getCause());
    } catch (TimeoutException e) {
      throw new java.net.http.HttpTimeoutException("transfer of " + key + " took longer than "
          + SHARED_TRANSFER_WAIT);
    }
  }

  private void withPermit(Work work) throws IOException, InterruptedException {
    transfers.acquire();
    try {
      work.run();
    } finally {
      transfers.release();
    }
  }

  private void download(Repository repository, Descriptor blob, BlobStore store,
      TransferListener listener) throws IOException, InterruptedException {
    Digest digest = blob.digest();
    listener.started(digest, blob.size(), "pull");
    RetryPolicy policy = settings.retry();
    long start = System.nanoTime();
    List<RetriesExhaustedException.Attempt> attempts = new ArrayList<>();
    BlobWriter writer = store.newWriter();
    boolean committed = false;
    try {
      for (int attempt = 1; ; attempt++) {
        long offset = writer.size();
        HttpResponse<InputStream> response = BlobGet.open(transport, repository, digest, offset);
        if (offset > 0 && response.statusCode() == 200) {
          // The registry ignored Range: start the file over.
          writer.abort();
          writer.close();
          writer = store.newWriter();
        }
        String what = "GET " + repository + " blob " + digest;
        try (InputStream in = new IdleTimeoutStream(response.body(), settings.idleTimeout(), what)) {
          copyLimited(in, writer, blob, repository, listener);
          if (writer.size() == blob.size()) {
            break;
          }
          throw new java.io.EOFException("body ended after " + writer.size() + " of "
              + blob.size() + " bytes");
        } catch (ClientException e) {
          throw e;
        } catch (IOException e) {
          Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
          attempts.add(new RetriesExhaustedException.Attempt(attempt, elapsed,
              e.getClass().getSimpleName() + ": " + e.getMessage() + " at byte " + writer.size()));
          Duration wait = backoff(policy, attempt + 1);
          if (attempt >= policy.maxAttempts() || elapsed.plus(wait).compareTo(policy.budget()) > 0) {
            throw new RetriesExhaustedException(what, attempts, e);
          }
          Thread.sleep(wait);
        }
      }
      try {
        writer.commit(digest, blob.size());
        committed = true;
      } catch (BlobDigestMismatchException e) {
        committed = true;
        throw new ContentMismatchException("blob " + digest + " from " + repository
            + " hashes to " + e.actual() + "; refused, nothing was stored");
      } catch (BlobSizeMismatchException e) {
        committed = true;
        throw new ContentMismatchException("blob " + digest + " from " + repository + " has "
            + e.actual() + " bytes, its descriptor says " + e.expected() + "; nothing was stored");
      }
      listener.finished(digest);
    } finally {
      if (!committed) {
        try {
          writer.abort();
        } catch (IOException ignored) {
          // The failure being reported matters more; ingest leftovers are swept on open.
        }
      }
      writer.close();
    }
  }

  private static void copyLimited(InputStream in, BlobWriter writer, Descriptor blob,
      Repository repository, TransferListener listener) throws IOException {
    byte[] buffer = new byte[128 * 1024];
    while (true) {
      long remaining = blob.size() - writer.size();
      // Ask for one byte more than is left: if it comes, the registry sends too much.
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining + 1));
      if (n < 0) {
        return;
      }
      if (n > remaining) {
        throw new ContentMismatchException("blob " + blob.digest() + " from " + repository
            + " is longer than its descriptor's " + blob.size()
            + " bytes; stopped reading there, nothing was stored");
      }
      writer.write(buffer, 0, n);
      listener.progressed(blob.digest(), n);
    }
  }

  private void upload(Repository repository, Descriptor blob, BlobStore store, String mountFrom,
      TransferListener listener) throws IOException, InterruptedException {
    Digest digest = blob.digest();
    URI location;
    if (mountFrom != null && !mountFrom.equals(repository.name())) {
      listener.started(digest, blob.size(), "mount");
      Optional<URI> session = BlobMount.send(transport, repository, digest, mountFrom);
      if (session.isEmpty()) {
        listener.finished(digest);
        return;
      }
      location = session.get();
    } else {
      UploadStart.Session session = UploadStart.open(transport, repository);
      if (linkShared(repository, blob, store, session, listener)) {
        return;
      }
      listener.started(digest, blob.size(), "push");
      location = session.location();
    }
    if (blob.size() <= settings.monolithicUploadLimit()) {
      uploadMonolithic(repository, blob, store, location, listener);
    } else {
      uploadChunked(repository, blob, store, location, listener);
    }
    listener.finished(digest);
  }

  /**
   * Closes {@code session} by store proof when the registry shares {@code store} (same key
   * fingerprint) and the store holds the blob: the registry links it and no bytes move. A registry
   * that refuses leaves the session open, and the caller uploads the bytes to it as usual.
   */
  private boolean linkShared(Repository repository, Descriptor blob, BlobStore store,
      UploadStart.Session session, TransferListener listener)
      throws IOException, InterruptedException {
    var key = store.key();
    if (key.isEmpty() || session.id().isEmpty() || session.storeFingerprint().isEmpty()
        || !session.storeFingerprint().get().equals(key.get().fingerprint())
        || !store.exists(blob.digest())) {
      return false;
    }
    try {
      UploadLink.send(transport, repository, session.location(), blob.digest(),
          key.get().signLink(session.id().get(), blob.digest()));
    } catch (ClientException e) {
      return false;
    }
    listener.started(blob.digest(), blob.size(), "link");
    listener.finished(blob.digest());
    return true;
  }

  private void uploadMonolithic(Repository repository, Descriptor blob, BlobStore store,
      URI firstLocation, TransferListener listener) throws IOException, InterruptedException {
    RetryPolicy policy = settings.retry();
    long start = System.nanoTime();
    List<RetriesExhaustedException.Attempt> attempts = new ArrayList<>();
    URI location = firstLocation;
    for (int attempt = 1; ; attempt++) {
      try {
        UploadPut.send(transport, repository, location, blob.digest(), blob.size(),
            BlobSlice.publisher(store, blob.digest(), 0, blob.size(), listener), false);
        return;
      } catch (ClientException e) {
        throw e;
      } catch (IOException e) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        attempts.add(new RetriesExhaustedException.Attempt(attempt, elapsed, String.valueOf(e)));
        Duration wait = backoff(policy, attempt + 1);
        if (attempt >= policy.maxAttempts() || elapsed.plus(wait).compareTo(policy.budget()) > 0) {
          throw new RetriesExhaustedException("PUT " + repository + " blob " + blob.digest(),
              attempts, e);
        }
        Thread.sleep(wait);
        // A half-sent body may have reached the session: start a clean one.
        location = UploadStart.send(transport, repository);
      }
    }
  }

  private void uploadChunked(Repository repository, Descriptor blob, BlobStore store, URI firstLocation,
      TransferListener listener) throws IOException, InterruptedException {
    RetryPolicy policy = settings.retry();
    long start = System.nanoTime();
    List<RetriesExhaustedException.Attempt> attempts = new ArrayList<>();
    URI location = firstLocation;
    long offset = 0;
    int failures = 0;
    while (offset < blob.size()) {
      long length = Math.min(settings.chunkSize(), blob.size() - offset);
      try {
        location = UploadPatch.send(transport, repository, location, offset, length,
            BlobSlice.publisher(store, blob.digest(), offset, length, listener));
        offset += length;
      } catch (ClientException e) {
        throw e;
      } catch (IOException e) {
        failures++;
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        attempts.add(new RetriesExhaustedException.Attempt(failures, elapsed,
            e + " sending bytes " + offset + "-" + (offset + length - 1)));
        Duration wait = backoff(policy, failures + 1);
        if (failures >= policy.maxAttempts() || elapsed.plus(wait).compareTo(policy.budget()) > 0) {
          throw new RetriesExhaustedException("PATCH " + repository + " blob " + blob.digest(),
              attempts, e);
        }
        Thread.sleep(wait);
        // Resume where the registry says it stopped, not where we think we were.
        UploadStatus.Status status = UploadStatus.send(transport, repository, location);
        location = status.location();
        offset = status.committed();
      }
    }
    UploadPut.send(transport, repository, location, blob.digest(), 0,
        HttpRequest.BodyPublishers::noBody, true);
  }

  private static Duration backoff(RetryPolicy policy, int next) {
    long millis = policy.backoff(next).toMillis();
    return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
  }
}
