package io.slipway.registry.auth;

import io.slipway.oci.auth.Scope;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One request to the token service, whichever form it came in (GET with Basic credentials or
 * anonymous, OAuth2 POST with a password or refresh token grant). Immutable apart from the password
 * array, which {@link Credentials.Password#clear()} wipes after use; confine an instance to the
 * request's thread.
 *
 * @param service the {@code service} parameter, or null when the client sent none
 * @param scopes the scopes asked for
 * @param credentials how the client authenticated
 * @param offline whether the client asked for a refresh token ({@code access_type=offline} or
 *     {@code offline_token=true})
 * @param clientAddress the source address, for failed-login rate limiting
 */
public record TokenRequest(
    String service, List<Scope> scopes, Credentials credentials, boolean offline, String clientAddress) {

  public TokenRequest {
    scopes = List.copyOf(scopes);
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(clientAddress, "clientAddress");
  }

  /** How a token request authenticated. */
  public sealed interface Credentials {
    /** No credentials: the anonymous rules of the policy apply. */
    record Anonymous() implements Credentials {}

    /**
     * A user name and password (Basic header on GET, {@code grant_type=password} on POST).
     *
     * @param user the user name
     * @param password the password; wiped by {@link #clear()}
     */
    record Password(String user, char[] password) implements Credentials {
      public Password {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
      }

      /** Overwrites the password in memory once it has been checked. */
      public void clear() {
        Arrays.fill(password, '\0');
      }

      @Override
      public String toString() {
        return "Password[user=" + user + "]";
      }

      @Override
      public boolean equals(Object other) {
        return other instanceof Password p && p.user.equals(user) && Arrays.equals(p.password, password);
      }

      @Override
      public int hashCode() {
        return user.hashCode();
      }
    }

    /**
     * A refresh token from an earlier offline request ({@code grant_type=refresh_token}).
     *
     * @param token the compact JWT
     */
    record Refresh(String token) implements Credentials {
      public Refresh {
        Objects.requireNonNull(token, "token");
      }
    }
  }
}
