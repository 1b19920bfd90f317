package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildTracingTest {

  @TempDir Path dir;

  @Test
  void configuresNothingWhenNeitherEndpointNorFileIsGiven() {
    assertThat(BuildTracing.configure(Map.of(), Optional.empty())).isEmpty();
  }

  @Test
  void sendsSpansToOtlpReceiverAndWritesTraceFileWhenBothAreAsked() throws Exception {
    CopyOnWriteArrayList<String> received = new CopyOnWriteArrayList<>();
    HttpServer receiver =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/", exchange -> {
      received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
          + exchange.getRequestHeaders().getFirst("X-Team"));
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.start();
    try {
      Path file = dir.resolve("trace.json");
      String endpoint = "http://127.0.0.1:" + receiver.getAddress().getPort();
      try (BuildTracing tracing = BuildTracing.configure(
          Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint, "OTEL_EXPORTER_OTLP_HEADERS",
              "X-Team=build"), Optional.of(file)).orElseThrow()) {
        tracing.tracer().spanBuilder("build").startSpan().end();
      }
      assertThat(received).contains("POST /v1/traces build");
      assertThat(Files.readString(file, StandardCharsets.UTF_8))
          .contains("\"resourceSpans\"").contains("\"name\":\"build\"");
    } finally {
      receiver.stop(0);
    }
  }
}
