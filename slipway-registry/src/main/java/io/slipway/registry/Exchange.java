package io.slipway.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.oci.Digest;
import io.slipway.oci.InvalidDigestException;
import io.slipway.registry.auth.Caller;
import io.slipway.registry.meta.RegistryMetadata;
import io.slipway.store.blob.BlobWriter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Fields;

/**
 * One request being served: the Jetty request and response, the path parameters the router
 * matched, and blocking helpers to read the body and write the answer. Wire calls run on a
 * virtual thread, so blocking here costs no platform thread. Confined to that thread.
 */
public final class Exchange {
  /** Jackson's mapper is thread-safe once configured; never reconfigured after this line. */
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Bytes gathered from the network before each write to the blob store. */
  private static final int COPY_BATCH = 256 * 1024;

  private final Request request;
  private final Response response;
  private final String name;
  private final String reference;
  private final Fields query;
  private Caller caller = Caller.UNRESTRICTED;

  Exchange(Request request, Response response, String name, String reference) {
    this.request = request;
    this.response = response;
    this.name = name;
    this.reference = reference;
    this.query = Request.extractQueryParameters(request);
  }

  public Request request() {
    return request;
  }

  public Response response() {
    return response;
  }

  /** Who the authorizer allowed this request for; unrestricted when auth is disabled. */
  public Caller caller() {
    return caller;
  }

  void setCaller(Caller allowed) {
    this.caller = allowed;
  }

  /** The {@code Authorization} header, or null. */
  public String authorization() {
    return request.getHeaders().get(HttpHeader.AUTHORIZATION);
  }

  /** Scheme, host and port the request was addressed to, such as {@code https://127.0.0.1:5000}. */
  public java.net.URI origin() {
    org.eclipse.jetty.http.HttpURI uri = request.getHttpURI();
    String host = uri.getHost();
    if (host != null && host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    String scheme = uri.getScheme() == null ? "http" : uri.getScheme();
    int port = uri.getPort();
    return java.net.URI.create(scheme + "://" + host + (port > 0 ? ":" + port : ""));
  }

  /** The method, such as {@code GET}. */
  public String method() {
    return request.getMethod();
  }

  /** True for HEAD, which answers headers only. */
  public boolean isHead() {
    return "HEAD".equals(request.getMethod());
  }

  /** The user this request authenticated as, for the tag history; anonymous without auth. */
  public String actor() {
    return caller.principal().isAnonymous() ? RegistryMetadata.ANONYMOUS : caller.principal().name();
  }

  /** The repository name from the path, already validated. */
  public String name() {
    return name;
  }

  /** The last path parameter (digest, tag or upload id), unvalidated. */
  public String reference() {
    return reference;
  }

  public Optional<String> header(String header) {
    return Optional.ofNullable(request.getHeaders().get(header));
  }

  public Optional<String> query(String parameter) {
    return Optional.ofNullable(query.getValue(parameter));
  }

  public List<String> queryAll(String parameter) {
    return query.getValuesOrEmpty(parameter);
  }

  /** The declared request body length, or -1 when the body is chunked or absent. */
  public long contentLength() {
    return request.getLength();
  }

  /** Parses a digest from client input; malformed is 400 {@code DIGEST_INVALID}, never 500. */
  public static Digest parseDigest(String text) {
    try {
      return Digest.parse(text);
    } catch (InvalidDigestException e) {
      throw RegistryException.of(ErrorCode.DIGEST_INVALID, e.getMessage());
    }
  }

  public void setHeader(String header, String value) {
    response.getHeaders().put(header, value);
  }

  public void setStatus(int status) {
    response.setStatus(status);
  }

  /**
   * Streams the request body into {@code writer}, hashing as it goes, without holding more than
   * one network chunk in memory. Returns the bytes copied. Stops with an error when the body
   * exceeds {@code limit} bytes ({@code -1}: no limit).
   */
  public long copyBodyTo(BlobWriter writer, long limit) throws IOException {
    // Network chunks are small (often 16 KiB); gathering them into one buffer turns thousands of
    // write and hash calls per second into a few, which is most of the cost of a push.
    ByteBuffer batch = ByteBuffer.allocate(COPY_BATCH);
    long copied = 0;
    try {
      while (true) {
        Content.Chunk chunk = readChunk();
        try {
          ByteBuffer bytes = chunk.getByteBuffer();
          int n = bytes.remaining();
          if (limit >= 0 && copied + n > limit) {
            throw RegistryException.of(
                ErrorCode.SIZE_INVALID, "body is longer than the declared " + limit + " bytes");
          }
          while (bytes.hasRemaining()) {
            if (!batch.hasRemaining()) {
              flush(batch, writer);
            }
            int take = Math.min(batch.remaining(), bytes.remaining());
            batch.put(bytes.slice(bytes.position(), take));
            bytes.position(bytes.position() + take);
          }
          copied += n;
          if (chunk.isLast()) {
            return copied;
          }
        } finally {
          chunk.release();
        }
      }
    } finally {
      // What arrived before a failure is kept too: a chunked upload resumes from it.
      flush(batch, writer);
    }
  }

  private static void flush(ByteBuffer batch, BlobWriter writer) throws IOException {
    batch.flip();
    if (batch.hasRemaining()) {
      writer.write(batch);
    }
    batch.clear();
  }

  /** Reads the whole body, failing with {@code tooLarge} once it exceeds {@code limit} bytes. */
  public byte[] readBody(long limit, RegistryException tooLarge) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    while (true) {
      Content.Chunk chunk = readChunk();
      try {
        ByteBuffer bytes = chunk.getByteBuffer();
        if (out.size() + (long) bytes.remaining() > limit) {
          throw tooLarge;
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        out.write(copy);
        if (chunk.isLast()) {
          return out.toByteArray();
        }
      } finally {
        chunk.release();
      }
    }
  }

  /** Discards whatever body the client sent, so the connection can be reused. */
  public void drainBody() throws IOException {
    while (true) {
      Content.Chunk chunk = readChunk();
      chunk.release();
      if (chunk.isLast()) {
        return;
      }
    }
  }

  private Content.Chunk readChunk() throws IOException {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        // Nothing buffered: wait for the network. The connector's idle timeout ends this wait
        // with a failure chunk if the client stalls, so no request waits forever.
        try (Blocker.Runnable ready = Blocker.runnable()) {
          request.demand(ready);
          ready.block();
        }
        continue;
      }
      if (Content.Chunk.isFailure(chunk)) {
        Throwable failure = chunk.getFailure();
        if (failure instanceof IOException io) {
          throw io;
        }
        if (failure instanceof java.util.concurrent.TimeoutException) {
          throw new InterruptedIOException("client sent nothing within the idle timeout");
        }
        throw new IOException("reading the request body failed: " + failure, failure);
      }
      return chunk;
    }
  }

  /** Writes bytes of the body, blocking until the network took them. */
  public void write(ByteBuffer bytes, boolean last) throws IOException {
    try (Blocker.Callback written = Blocker.callback()) {
      response.write(last, bytes, written);
      written.block();
    }
  }

  /** Sends a complete JSON answer (headers only for HEAD). */
  public void sendJson(int status, Object body) throws IOException {
    sendBytes(status, "application/json", JSON.writeValueAsBytes(body));
  }

  /** Sends a complete answer with a body of known bytes (headers only for HEAD). */
  public void sendBytes(int status, String contentType, byte[] body) throws IOException {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    write(isHead() ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), true);
  }

  /** Sends an answer without a body. */
  public void sendEmpty(int status) throws IOException {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
    write(ByteBuffer.allocate(0), true);
  }

  /** Sends plain text, for the health endpoint. */
  public void sendText(int status, String text) throws IOException {
    sendBytes(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }
}
