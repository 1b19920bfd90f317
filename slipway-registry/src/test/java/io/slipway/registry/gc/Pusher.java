package io.slipway.registry.gc;

import io.slipway.oci.Digest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Pushes and pulls images over HTTP with the JDK client, as a registry client would: blobs
 * monolithically, then the manifest by tag. Safe for concurrent use (HttpClient is).
 */
final class Pusher implements AutoCloseable {
  static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private volatile URI base;

  Pusher(URI base) {
    this.base = base;
  }

  void retarget(URI newBase) {
    this.base = newBase;
  }

  /** An image: its config, its layers and the manifest naming them. */
  record Image(byte[] config, List<byte[]> layers, byte[] manifest) {
    Digest digest() {
      return Digest.sha256(manifest);
    }
  }

  static Image image(String seed, List<byte[]> layers) {
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\"" + seed + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    StringBuilder json = new StringBuilder();
    json.append("{\"schemaVersion\":2,\"mediaType\":\"").append(MANIFEST_TYPE).append("\",")
        .append("\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",")
        .append("\"digest\":\"").append(Digest.sha256(config)).append("\",\"size\":")
        .append(config.length).append("},\"layers\":[");
    String separator = "";
    for (byte[] layer : layers) {
      json.append(separator)
          .append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"")
          .append(Digest.sha256(layer)).append("\",\"size\":").append(layer.length).append("}");
      separator = ",";
    }
    json.append("]}");
    return new Image(config, List.copyOf(layers), json.toString().getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  void pushBlob(String name, byte[] content) throws IOException, InterruptedException {
    Digest digest = Digest.sha256(content);
    HttpResponse<byte[]> response =
        send("POST", "/v2/" + name + "/blobs/uploads/?digest=" + digest, content);
    expect(response, 201, "push blob " + digest + " to " + name);
  }

  /** Pushes every blob, then the manifest under {@code tag}. */
  void push(String name, String tag, Image image) throws IOException, InterruptedException {
    pushBlob(name, image.config());
    for (byte[] layer : image.layers()) {
      pushBlob(name, layer);
    }
    HttpResponse<byte[]> response =
        send("PUT", "/v2/" + name + "/manifests/" + tag, image.manifest(),
            "Content-Type", MANIFEST_TYPE);
    expect(response, 201, "push manifest " + name + ":" + tag);
  }

  /**
   * Pulls {@code name:reference} completely, checking every digest; returns what is wrong, or an
   * empty list when the image is whole.
   */
  List<String> pullProblems(String name, String reference, Image image)
      throws IOException, InterruptedException {
    List<String> problems = new ArrayList<>();
    HttpResponse<byte[]> manifest =
        send("GET", "/v2/" + name + "/manifests/" + reference, null, "Accept", MANIFEST_TYPE);
    if (manifest.statusCode() != 200 || !Digest.sha256(manifest.body()).equals(image.digest())) {
      problems.add(name + ":" + reference + " manifest: " + manifest.statusCode() + " "
          + new String(manifest.body(), StandardCharsets.UTF_8));
      return problems;
    }
    List<byte[]> blobs = new ArrayList<>(image.layers());
    blobs.add(image.config());
    for (byte[] blob : blobs) {
      Digest digest = Digest.sha256(blob);
      HttpResponse<byte[]> got = send("GET", "/v2/" + name + "/blobs/" + digest, null);
      if (got.statusCode() != 200 || !Digest.sha256(got.body()).equals(digest)) {
        problems.add(name + ":" + reference + " blob " + digest + ": " + got.statusCode());
      }
    }
    return problems;
  }

  private static void expect(HttpResponse<byte[]> response, int status, String what)
      throws IOException {
    if (response.statusCode() != status) {
      throw new IOException(what + ": " + response.statusCode() + " "
          + new String(response.body(), StandardCharsets.UTF_8));
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
