package io.slipway.client;

import java.io.IOException;

/** Base of the registry client's errors; each subclass says what went wrong and where. */
public abstract sealed class ClientException extends IOException
    permits RegistryException, RetriesExhaustedException, ContentMismatchException,
        UnsupportedContentException, TlsException {
  private static final long serialVersionUID = 1L;

  ClientException(String message) {
    super(message);
  }

  ClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
