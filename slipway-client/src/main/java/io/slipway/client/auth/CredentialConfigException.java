package io.slipway.client.auth;

import java.nio.file.Path;

/** A credentials file ({@code config.json}, {@code auth.json}) that cannot be read or used. */
public final class CredentialConfigException extends AuthException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public CredentialConfigException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public CredentialConfigException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The file at fault. */
  public Path file() {
    return file;
  }
}
