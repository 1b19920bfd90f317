package io.slipway.build.solver;

import io.slipway.build.graph.Operation;
import io.slipway.build.graph.Vertex;
import io.slipway.oci.Digest;
import io.slipway.oci.DigestAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Downloads the file of an {@code ADD https://…}: verifies {@code --checksum} when given, names
 * the file as the URL's last path element, gives it mode 0600 and the server's
 * {@code Last-Modified} time (1970 without one), as the reference builder does. The bytes decide
 * the cache key, so a changed file at the same URL is a new step. Safe for concurrent use.
 */
final class HttpSource {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(30);

  /** A downloaded file: {@code tree} holds only it; {@code directory} is removed by the caller. */
  record Download(Path directory, Path tree, Digest content) {}

  /**
   * The HTTP client, made when the first ADD of a URL needs it (class initialisation is lazy and
   * thread-safe): making one loads the TLS providers, a visible share of a build that downloads
   * nothing. One client serves every solver of the process; it is safe for concurrent use.
   */
  private static final class Client {
    static final HttpClient INSTANCE = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(CONNECT_TIMEOUT)
        .build();
  }

  Download fetch(Vertex vertex, Operation.Http http, Path directory)
      throws IOException, InterruptedException {
    Path tree = directory.resolve("tree");
    Files.createDirectory(tree);
    Path file = tree.resolve(http.filename());
    HttpRequest request = HttpRequest.newBuilder(URI.create(http.url()))
        .timeout(REQUEST_TIMEOUT)
        .GET()
        .build();
    HttpResponse<InputStream> response =
        Client.INSTANCE.send(request, HttpResponse.BodyHandlers.ofInputStream());
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        throw new SolveException(vertex, "GET " + http.url() + " answered HTTP "
            + response.statusCode());
      }
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
        in.transferTo(out);
      }
    }
    Digest content = Digest.fromHash(DigestAlgorithm.SHA256, sha.digest());
    if (http.checksum().isPresent() && !http.checksum().get().equals(content)) {
      throw new SolveException(vertex, "checksum mismatch for " + http.url() + ": expected "
          + http.checksum().get() + ", got " + content);
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Instant modified = response.headers().firstValue("Last-Modified").map(HttpSource::parseTime)
        .orElse(Instant.EPOCH);
    Files.setLastModifiedTime(file, FileTime.from(modified));
    return new Download(directory, tree, content);
  }

  private static Instant parseTime(String text) {
    try {
      return ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }
}
