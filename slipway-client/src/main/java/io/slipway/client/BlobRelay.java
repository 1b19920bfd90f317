package io.slipway.client;

import io.slipway.oci.Descriptor;
import io.slipway.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Copies one blob from a source registry into an upload session on a target registry without
 * touching the disk: the source's GET body is the target's request body, checked on the way
 * through (size and digest, {@link SizeLimitedStream}), so a corrupt source fails the copy before
 * the target can commit it.
 *
 * <p>A blob up to {@link ClientSettings#monolithicUploadLimit()} goes in one PUT and starts over
 * after a failure; its upload session is opened while the source's GET is under way. A larger one goes in one streamed PATCH that resumes after a broken connection:
 * the target's upload status says how many bytes it kept, the source is read again from the
 * nearest {@link HashCheckpoints hash checkpoint} before that point with a {@code Range} GET, and
 * only the rest is sent, so the digest is still checked over the whole blob. Stateless; safe for
 * concurrent use.
 */
final class BlobRelay {
  private final Transport transport;
  private final ClientSettings settings;

  BlobRelay(Transport transport) {
    this.transport = transport;
    this.settings = transport.settings();
  }

  /**
   * Copies {@code blob} from {@code source} to {@code target}, using the upload session {@code
   * opened} when a mount attempt left one (may be null).
   */
  void copy(Repository source, Repository target, Descriptor blob, URI opened,
      TransferListener listener) throws IOException, InterruptedException {
    if (blob.size() <= settings.monolithicUploadLimit()) {
      copyWhole(source, target, blob, opened, listener);
    } else {
      copyResumable(source, target, blob, opened, listener);
    }
  }

  private void copyWhole(Repository source, Repository target, Descriptor blob, URI opened,
      TransferListener listener) throws IOException, InterruptedException {
    RetryBudget retries = new RetryBudget(settings.retry(),
        "copy of blob " + blob.digest() + " from " + source + " to " + target);
    URI location = opened;
    while (true) {
      HttpResponse<InputStream> response;
      if (location == null) {
        Opened both = openBoth(source, target, blob);
        location = both.location();
        response = both.response();
      } else {
        response = BlobGet.open(transport, source, blob.digest(), 0);
      }
      try (InputStream body = new SizeLimitedStream(watched(response, source, blob), blob, source,
          listener)) {
        UploadPut.send(transport, target, location, blob.digest(), blob.size(),
            publisher(body, blob.size()), false);
        return;
      } catch (IOException e) {
        rethrowClientError(e);
        retries.failed(e, "");
        // A half-sent body may have reached the session: start a clean one.
        location = null;
      }
    }
  }

  /** A new upload session on the target and the source's answer to the blob's GET. */
  private record Opened(URI location, HttpResponse<InputStream> response) {}

  /**
   * Opens the upload session ({@code POST}) and asks the source for the blob ({@code GET}) at
   * the same time: the two requests go to different registries and neither needs the other's
   * answer, so a small blob's copy waits for one round trip fewer. The GET's body is only read
   * once the PUT sends it. If either fails, the other is given up (a session left open is purged
   * by the registry, as after any failed upload) and the failure is thrown.
   */
  private Opened openBoth(Repository source, Repository target, Descriptor blob)
      throws IOException, InterruptedException {
    AtomicReference<URI> session = new AtomicReference<>();
    AtomicReference<HttpResponse<InputStream>> response = new AtomicReference<>();
    try {
      Parallel.run(List.of(
          () -> session.set(UploadStart.send(transport, target)),
          () -> response.set(BlobGet.open(transport, source, blob.digest(), 0))));
    } catch (IOException | InterruptedException | RuntimeException e) {
      HttpResponse<InputStream> opened = response.get();
      if (opened != null) {
        // The body was not read: closing it costs its connection, which is right for a failed
        // copy.
        try {
          opened.body().close();
        } catch (IOException closing) {
          e.addSuppressed(closing);
        }
      }
      throw e;
    }
    return new Opened(session.get(), response.get());
  }

  private void copyResumable(Repository source, Repository target, Descriptor blob, URI opened,
      TransferListener listener) throws IOException, InterruptedException {
    RetryBudget retries = new RetryBudget(settings.retry(),
        "copy of blob " + blob.digest() + " from " + source + " to " + target);
    HashCheckpoints checkpoints = HashCheckpoints.start(blob.digest().algorithm());
    URI location = opened != null ? opened : UploadStart.send(transport, target);
    long held = 0;
    while (true) {
      try {
        if (held < blob.size()) {
          location = sendFrom(source, target, blob, location, held, checkpoints, listener);
        }
        // PUT /v2/<name>/blobs/uploads/<id>?digest= with no body closes the session; the target
        // checks the digest over everything it holds.
        UploadPut.send(transport, target, location, blob.digest(), 0,
            HttpRequest.BodyPublishers::noBody, true);
        return;
      } catch (IOException e) {
        rethrowClientError(e);
        retries.failed(e, "while sending from byte " + held);
        Optional<UploadStatus.Status> status = status(target, location);
        // "0-0" means empty or one byte (the spec's Range cannot say which), and an upload that
        // claims more than the blob is not ours to trust: both start a new session from zero.
        if (status.isEmpty() || status.get().committed() <= 1
            || status.get().committed() > blob.size()) {
          location = UploadStart.send(transport, target);
          held = 0;
        } else {
          location = status.get().location();
          held = status.get().committed();
        }
      }
    }
  }

  /**
   * Streams bytes {@code held}..end of the blob from the source into one PATCH; returns the
   * session's next location.
   */
  private URI sendFrom(Repository source, Repository target, Descriptor blob, URI location,
      long held, HashCheckpoints checkpoints, TransferListener listener)
      throws IOException, InterruptedException {
    Digest digest = blob.digest();
    long from = checkpoints.floor(held);
    HttpResponse<InputStream> response = BlobGet.open(transport, source, digest, from);
    if (from > 0 && response.statusCode() == 200) {
      // The source ignored Range and sends the whole blob: hash it from the start.
      from = 0;
    } else if (from > 0) {
      checkContentRange(response, source, digest, from);
    }
    try (SizeLimitedStream body = SizeLimitedStream.from(watched(response, source, blob), blob,
        source, listener, checkpoints, from)) {
      // Bytes the target already holds are read and hashed but not sent again.
      body.discardTo(held);
      // PATCH with Content-Range: the target refuses (416) a start that is not its current end.
      return UploadPatch.send(transport, target, location, held, blob.size() - held,
          publisher(body, blob.size() - held));
    }
  }

  /** The target's upload status, or empty when the session is gone. */
  private Optional<UploadStatus.Status> status(Repository target, URI location)
      throws IOException, InterruptedException {
    try {
      return Optional.of(UploadStatus.send(transport, target, location));
    } catch (RegistryException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static void checkContentRange(HttpResponse<InputStream> response, Repository source,
      Digest digest, long from) throws IOException {
    Optional<String> range = response.headers().firstValue("Content-Range");
    if (range.isPresent() && !range.get().trim().startsWith("bytes " + from + "-")) {
      Transport.readErrorBody(response);
      throw new ContentMismatchException("GET " + source + " blob " + digest + " asked for bytes "
          + from + "- and got Content-Range " + range.get() + "; refused");
    }
  }

  private InputStream watched(HttpResponse<InputStream> response, Repository source,
      Descriptor blob) {
    return new IdleTimeoutStream(response.body(), settings.idleTimeout(),
        "GET " + source + " blob " + blob.digest());
  }

  /** The stream as a request body of {@code length} bytes. */
  private static Supplier<HttpRequest.BodyPublisher> publisher(InputStream body, long length) {
    return () -> HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(() -> body), length);
  }

  /**
   * The HTTP client wraps what the request body's stream threw; a refusal of the content (wrong
   * digest, too long) or of the request is final, not a broken connection to retry.
   */
  private static void rethrowClientError(IOException failure) throws ClientException {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ClientException client) {
        throw client;
      }
    }
  }
}
