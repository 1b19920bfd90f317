package io.slipway.registry.auth;

import java.util.Map;
import java.util.Objects;

/**
 * The {@link Authorizer}'s answer: serve the call for this caller, or refuse it with the status,
 * headers and error the registry sends. Closed, so the router's {@code switch} handles both.
 * Immutable.
 */
public sealed interface AuthDecision {

  /**
   * Serve the call.
   *
   * @param caller who asked, for catalog filtering and logs
   */
  record Allowed(Caller caller) implements AuthDecision {
    public Allowed {
      Objects.requireNonNull(caller, "caller");
    }
  }

  /**
   * Refuse the call. The registry answers {@code status} with {@code headers} (for 401 the {@code
   * WWW-Authenticate} challenge, for 429 {@code Retry-After}) and the body {@code
   * {"errors":[{"code":code,"message":message}]}}.
   *
   * @param status HTTP status, 401 or 429
   * @param code the OCI error code, {@code UNAUTHORIZED} or {@code TOOMANYREQUESTS}
   * @param message what the client must do
   * @param headers response headers to set
   */
  record Refused(int status, String code, String message, Map<String, String> headers)
      implements AuthDecision {
    public Refused {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
      headers = Map.copyOf(headers);
    }
  }
}
