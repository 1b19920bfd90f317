package io.slipway.client.auth;

import java.io.IOException;

/** Base of the errors authentication can report: each subclass names what to fix. */
public abstract sealed class AuthException extends IOException
    permits MalformedChallengeException,
        TokenFetchException,
        CredentialHelperException,
        CredentialConfigException {
  private static final long serialVersionUID = 1L;

  AuthException(String message) {
    super(message);
  }

  AuthException(String message, Throwable cause) {
    super(message, cause);
  }
}
