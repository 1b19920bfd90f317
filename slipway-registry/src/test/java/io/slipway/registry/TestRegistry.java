package io.slipway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.oci.Digest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** An in-process registry on an ephemeral loopback port plus an HTTP client for tests. */
final class TestRegistry implements AutoCloseable {
  final RegistryServer server;
  final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestRegistry(RegistryServer server) {
    this.server = server;
  }

  static TestRegistry start(Path root) throws Exception {
    return start(RegistryConfig.defaults(root).withAddress("127.0.0.1", 0));
  }

  static TestRegistry start(RegistryConfig config) throws Exception {
    return new TestRegistry(RegistryServer.start(config));
  }

  URI uri(String pathAndQuery) {
    return URI.create(server.baseUri() + pathAndQuery);
  }

  HttpResponse<String> send(String method, String path, byte[] body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> getBytes(String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return client.send(builder.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Pushes a blob monolithically; returns its digest. */
  Digest pushBlob(String name, byte[] content) throws Exception {
    Digest digest = Digest.sha256(content);
    HttpResponse<String> response =
        send("POST", "/v2/" + name + "/blobs/uploads/?digest=" + digest, content);
    if (response.statusCode() != 201) {
      throw new AssertionError("push blob: " + response.statusCode() + " " + response.body());
    }
    return digest;
  }

  /** Pushes an image manifest naming the given config and layers; returns its bytes. */
  byte[] imageManifest(Digest config, long configSize, Map<Digest, Long> layers) {
    StringBuilder json = new StringBuilder();
    json.append("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",")
        .append("\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"")
        .append(config).append("\",\"size\":").append(configSize).append("},\"layers\":[");
    String separator = "";
    for (var layer : layers.entrySet()) {
      json.append(separator)
          .append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"")
          .append(layer.getKey()).append("\",\"size\":").append(layer.getValue()).append("}");
      separator = ",";
    }
    json.append("]}");
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Pushes a one-layer image and tags it; returns the manifest bytes. */
  byte[] pushImage(String name, String tag, String seed) throws Exception {
    byte[] config = ("{\"seed\":\"" + seed + "\"}").getBytes(StandardCharsets.UTF_8);
    byte[] layer = ("layer " + seed).getBytes(StandardCharsets.UTF_8);
    Digest configDigest = pushBlob(name, config);
    Digest layerDigest = pushBlob(name, layer);
    byte[] manifest = imageManifest(configDigest, config.length, Map.of(layerDigest, (long) layer.length));
    HttpResponse<String> response =
        send("PUT", "/v2/" + name + "/manifests/" + tag, manifest,
            "Content-Type", "application/vnd.oci.image.manifest.v1+json");
    if (response.statusCode() != 201) {
      throw new AssertionError("push manifest: " + response.statusCode() + " " + response.body());
    }
    return manifest;
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return Exchange.JSON.readTree(response.body());
  }

  static String errorCode(HttpResponse<String> response) throws IOException {
    return json(response).path("errors").path(0).path("code").asText();
  }

  static List<String> texts(JsonNode array) {
    List<String> result = new java.util.ArrayList<>();
    array.forEach(node -> result.add(node.asText()));
    return result;
  }

  @Override
  public void close() throws IOException {
    client.close();
    server.close();
  }
}
