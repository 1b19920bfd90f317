package io.slipway.build.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.slipway.build.solver.SolveException;
import io.slipway.oci.Digest;
import io.slipway.testing.RequiresTool;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresTool(value = "busybox", debianPackage = "busybox-static")
class AddUrlTest {

  @TempDir Path dir;
  private HttpServer server;
  private final AtomicReference<String> body = new AtomicReference<>("version 1\n");

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/files/tool.txt", exchange -> {
      byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/files/tool.txt";
  }

  @Test
  void addsUrlWithModeAndLastModifiedAndRebuildsWhenBytesChange() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      String dockerfile = "FROM busybox\nADD " + url() + " /opt/\n";
      Path rootfs = fixture.rootfs(dockerfile);
      Path file = rootfs.resolve("opt/tool.txt");
      assertThat(file).hasContent("version 1");
      assertThat((Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0777)
          .isEqualTo(0600);
      assertThat(Files.getLastModifiedTime(file).toInstant().toString())
          .isEqualTo("2015-10-21T07:28:00Z");
      body.set("version 2\n");
      assertThat(fixture.rootfs(dockerfile).resolve("opt/tool.txt")).hasContent("version 2");
    }
  }

  @Test
  void failsNamingBothDigestsWhenChecksumDoesNotMatch() throws Exception {
    try (BuildFixture fixture = new BuildFixture(dir)) {
      Digest wrong = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
      assertThatThrownBy(() -> fixture.build(
              "FROM busybox\nADD --checksum=" + wrong + " " + url() + " /opt/\n"))
          .isInstanceOf(SolveException.class)
          .hasMessageContaining("checksum mismatch")
          .hasMessageContaining(wrong.toString());
    }
  }
}
