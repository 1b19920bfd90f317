package io.slipway.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.testing.RequiresTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyTest {
  @TempDir Path dir;

  @Test
  void keepsSameKeyWhenLoadedAfterFirstStart() throws Exception {
    Path pem = dir.resolve("keys/token.pem");

    SigningKey created = SigningKey.loadOrCreate(pem);
    SigningKey loaded = SigningKey.loadOrCreate(pem);

    assertThat(loaded.keyId()).isEqualTo(created.keyId());
    assertThat(loaded.publicJwk()).isEqualTo(created.publicJwk());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pem))).isEqualTo("rw-------");
  }

  @Test
  void refusesFileWhenItHoldsNoEcPrivateKey() throws Exception {
    Path pem = dir.resolve("token.pem");
    Files.writeString(pem, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

    assertThatThrownBy(() -> SigningKey.load(pem))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(pem.toString());
  }

  @Test
  @RequiresTool(value = "openssl", debianPackage = "openssl")
  void loadsKeyWhenOperatorMadeItWithOpenssl() throws Exception {
    Path pem = dir.resolve("openssl.pem");
    Process process = new ProcessBuilder("openssl", "ecparam", "-name", "prime256v1", "-genkey",
        "-noout", "-out", pem.toString()).redirectErrorStream(true).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();

    SigningKey key = SigningKey.load(pem);

    assertThat(key.privateJwk().isPrivate()).isTrue();
    assertThat(key.keyId()).isNotBlank();
  }
}
