package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.registry.RegistryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryConfigFileTest {
  @TempDir Path dir;

  private RegistryConfig read(String yaml) throws IOException {
    Path file = dir.resolve("registry.yaml");
    Files.writeString(file, yaml);
    return RegistryConfigFile.read(file, RegistryConfig.defaults(Path.of("slipway-data")));
  }

  @Test
  void doesReadDistributionStyleKeysWhenPresent() throws IOException {
    RegistryConfig config = read("""
        version: 0.1
        http:
          addr: 0.0.0.0:5443
          tls:
            certificate: certs/registry.pem
            key: certs/registry.key
        storage:
          filesystem:
            rootdirectory: data
          delete:
            enabled: false
          maintenance:
            uploadpurging:
              age: 1h30m
        log:
          accesslog:
            disabled: true
        limits:
          manifestbytes: 1048576
          idletimeout: 90s
        """);

    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isEqualTo(5443);
    assertThat(config.tlsCertificate()).isEqualTo(dir.resolve("certs/registry.pem"));
    assertThat(config.root()).isEqualTo(dir.resolve("data"));
    assertThat(config.deletesEnabled()).isFalse();
    assertThat(config.uploadMaxIdle()).isEqualTo(Duration.ofMinutes(90));
    assertThat(config.maxManifestBytes()).isEqualTo(1048576);
    assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.accessLog()).isFalse();
  }

  @Test
  void doesKeepDefaultsWhenFileIsEmpty() throws IOException {
    RegistryConfig config = read("");

    assertThat(config).isEqualTo(RegistryConfig.defaults(Path.of("slipway-data")));
    assertThat(config.deletesEnabled()).isTrue();
  }

  @Test
  void doesNameKeyWhenDurationIsMalformed() {
    assertThatThrownBy(() -> read("limits:\n  idletimeout: soon\n"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("limits.idletimeout")
        .hasMessageContaining("soon");
  }

  @Test
  void doesRejectTlsWhenKeyIsMissing() {
    assertThatThrownBy(() -> read("http:\n  tls:\n    certificate: a.pem\n"))
        .hasMessageContaining("http.tls needs both certificate and key");
  }

  @Test
  void doesParseListenAddressForms() {
    assertThat(HostPort.parse(":5000")).isEqualTo(new HostPort("0.0.0.0", 5000));
    assertThat(HostPort.parse("[::1]:5000")).isEqualTo(new HostPort("::1", 5000));
    assertThatThrownBy(() -> HostPort.parse("localhost")).hasMessageContaining("HOST:PORT");
  }
}
