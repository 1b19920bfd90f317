package io.slipway.client.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * What a user authenticates with at one registry. Immutable; {@code toString} never shows secrets.
 */
public sealed interface Credential {

  /** No credentials: anonymous access. */
  record Anonymous() implements Credential {}

  /** A user name and password (or access token used as password). */
  record UsernamePassword(String username, String password) implements Credential {
    public UsernamePassword {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    /** The value of a Basic {@code Authorization} header. */
    public String basicHeader() {
      return "Basic " + Base64.getEncoder()
          .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "UsernamePassword[username=" + username + ", password=***]";
    }
  }

  /**
   * An OAuth2 refresh token (docker's {@code identitytoken}), exchanged at the token endpoint with
   * {@code grant_type=refresh_token}.
   */
  record IdentityToken(String username, String refreshToken) implements Credential {
    public IdentityToken {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(refreshToken, "refreshToken");
    }

    @Override
    public String toString() {
      return "IdentityToken[username=" + username + ", refreshToken=***]";
    }
  }

  /** The shared anonymous credential. */
  static Credential anonymous() {
    return new Anonymous();
  }
}
